/** Moved to shared-db/test-support/ (shared with the aggregators' tests). */
export * from '../../shared-db/test-support/postgres-cluster.ts';
