// lint-as: union/union-imports-core.ts
import { CrowdsellError } from '../extension/protocol/errors.ts';
import { createRouter } from '../background/router.ts';

export const allowed = CrowdsellError;
export const forbidden = createRouter;
