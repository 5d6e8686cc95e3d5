/** The DAP leader's database schema (its own migrations folder and advisory lock). */
import path from 'node:path';
import { roleSchema } from '../../db/role-schema.ts';

/** Arbitrary, fixed: "leader" in ASCII. */
export const leaderSchema = roleSchema(
  'DAP leader',
  0x6c6561646572,
  path.join(import.meta.dirname, 'migrations'),
);
