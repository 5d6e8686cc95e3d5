/**
 * The DAP report worker, started by Chrome's offscreen document or Firefox's event page only when
 * a report is built: the only bundle holding the Prio3/HPKE code. No key ever reaches it (the
 * member signature is made in the service worker's vault).
 */
// First: zod must never try `new Function` under the MV3 CSP (see the module).
import '../../extension/app/zod-config.ts';

import { answerDapRequest } from './answer.ts';

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  void answerDapRequest(event.data).then((reply) => self.postMessage(reply));
});
