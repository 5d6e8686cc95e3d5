/**
 * TEST-ONLY hooks for the e2e suite: close the current epoch now (its reports sent at once, or
 * with `{ send: false }` left waiting for their random send time), send waiting reports now,
 * switch report noise off, read the open tallies, identify the worker instance. Wired
 * in `index.ts` only when `import.meta.env.MODE === 'e2e'` (`npm run build:e2e`); in a production
 * build that condition is the constant `false`, so this module is dropped from the bundle —
 * `test/e2e/production-build.spec.ts` checks that `dist/` has none of it.
 *
 * Same sender rule as the router: only this extension's own pages.
 */
import type { Crowdsell } from '../extension/app/crowdsell.ts';
import {
  closeCurrentEpochNow,
  openTallies,
  sendWaitingNow,
  setNoise,
} from '../extension/app/test-abilities.ts';
import { toErrorPayload } from '../extension/protocol/errors.ts';
import type { ResponseEnvelope } from '../extension/protocol/messages.ts';
import { isTrustedSender, type RouterOptions, type SenderInfo } from './router.ts';

export const TEST_CHANNEL = 'crowdsell-test/v1';

interface TestMessage {
  channel: typeof TEST_CHANNEL;
  name: string;
  params?: { enabled?: boolean; send?: boolean };
}

function isTestMessage(message: unknown): message is TestMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { channel?: unknown }).channel === TEST_CHANNEL &&
    typeof (message as { name?: unknown }).name === 'string'
  );
}

export function createTestHooks(crowdsell: Crowdsell, options: RouterOptions) {
  // Identifies this worker instance, so a test can see that the worker really restarted.
  const instance = crypto.randomUUID();
  async function run(message: TestMessage, sender: SenderInfo): Promise<ResponseEnvelope> {
    try {
      if (!isTrustedSender(sender, options)) throw new Error('forbidden sender');
      switch (message.name) {
        case 'closeEpochNow': {
          const send = message.params?.send !== false;
          return { ok: true, result: await closeCurrentEpochNow(crowdsell, { send }) };
        }
        case 'sendWaitingNow':
          return { ok: true, result: await sendWaitingNow(crowdsell) };
        case 'instance':
          return { ok: true, result: instance };
        case 'openTallies':
          return { ok: true, result: await openTallies(crowdsell) };
        case 'setNoise':
          await setNoise(crowdsell, message.params?.enabled !== false);
          return { ok: true, result: { noise: message.params?.enabled !== false } };
        default:
          throw new Error(`unknown test hook ${message.name}`);
      }
    } catch (error) {
      return { ok: false, error: toErrorPayload(error) };
    }
  }
  /** Answers test-channel messages; returns undefined for anything else (the router's). */
  return (message: unknown, sender: SenderInfo): Promise<ResponseEnvelope> | undefined =>
    isTestMessage(message) ? run(message, sender) : undefined;
}
