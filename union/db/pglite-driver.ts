/** Moved to shared-db/ (shared with the aggregators). */
export * from '../../shared-db/pglite-driver.ts';
