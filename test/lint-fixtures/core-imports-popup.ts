// lint-as: extension/core-imports-popup.ts
import { call } from '../popup/client.ts';

export const forbidden = call;
