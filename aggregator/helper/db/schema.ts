/** The DAP helper's database schema (its own migrations folder and advisory lock). */
import path from 'node:path';
import { roleSchema } from '../../db/role-schema.ts';

/** Arbitrary, fixed: "helper" in ASCII. */
export const helperSchema = roleSchema(
  'DAP helper',
  0x68656c706572,
  path.join(import.meta.dirname, 'migrations'),
);
