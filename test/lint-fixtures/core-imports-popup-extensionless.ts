// lint-as: extension/core-imports-popup-extensionless.ts
import { call } from '../popup/client';

export const forbidden = call;
