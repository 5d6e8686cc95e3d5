/** Moved to shared-db/ (the union and the aggregators share the driver seam); kept so union imports stay short. */
export type * from '../../shared-db/db.ts';
