// lint-as: extension/core-imports-popup-js-extension.ts
import { call } from '../popup/client.js';

export const forbidden = call;
