/**
 * `t(key, ...substitutions)`: every user-facing string goes through `browser.i18n`, so adding a
 * `_locales/<lang>/messages.json` translates the whole UI.
 */
import { browser } from './browser-api.ts';

import type { MessageKey } from './message-key.ts';

export type { MessageKey };

export function t(key: MessageKey, ...substitutions: string[]): string {
  // An empty answer means the key is missing at runtime: show the key rather than nothing.
  return browser.i18n.getMessage(key, substitutions) || key;
}

/** The sentence to show for anything thrown by a call (CrowdsellError messages are sentences). */
export function errorText(error: unknown): string {
  return error instanceof Error && error.message ? error.message : t('errorGeneric');
}
