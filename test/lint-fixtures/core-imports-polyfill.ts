// lint-as: extension/core-imports-polyfill.ts
import browser from 'webextension-polyfill';

export const forbidden = browser;
