// lint-as: union/union-imports-core-extensionless.ts
import { reportTypes } from '../extension/protocol/eip712';
import { openCrowdsellDb } from '../extension/storage/schema';

export const allowed = reportTypes;
export const forbidden = openCrowdsellDb;
