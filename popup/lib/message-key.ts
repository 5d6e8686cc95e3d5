/**
 * The typed list of message keys: every key in `_locales/en/messages.json` (English is complete,
 * so it defines the set). Using a key that is not there is a compile error.
 */
import type messages from '../../_locales/en/messages.json';

export type MessageKey = keyof typeof messages;
