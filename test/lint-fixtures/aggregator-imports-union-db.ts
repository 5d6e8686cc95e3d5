// lint-as: aggregator/leader/leader-imports-union-db.ts
import { openDb } from '../../union/db/open-db.ts';

export const forbidden = openDb;
