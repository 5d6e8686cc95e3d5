// lint-as: shared-db/shared-db-imports-schemas.ts
import { migrate } from '../union/db/migrate.ts';
import { helperSchema } from '../aggregator/helper/db/schema.ts';
import type { Db } from './db.ts';

export const forbidden: [typeof migrate, typeof helperSchema, Db | null] = [
  migrate,
  helperSchema,
  null,
];
