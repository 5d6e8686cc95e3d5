/**
 * The uploading client of `npm run bench:dap`, in its own process so that its CPU (request
 * building, `fetch`) is not counted as the aggregators'. Forked by `bench/dap.ts` with an IPC
 * channel (advanced serialization): it receives a round's upload bodies first (`load`, before the
 * measured step), then a leader upload URL (`upload`), PUTs every body there in order and answers
 * `uploaded`, or `failed` with the reason.
 */
import { Buffer } from 'node:buffer';
import { MEDIA_TYPES } from '../aggregator/dap/upload.ts';

export type UploadClientRequest =
  | { readonly kind: 'load'; readonly bodies: readonly Uint8Array[] }
  | { readonly kind: 'upload'; readonly url: string };

export type UploadClientAnswer =
  | { readonly kind: 'loaded' }
  | { readonly kind: 'uploaded' }
  | { readonly kind: 'failed'; readonly reason: string };

const answer = (message: UploadClientAnswer) => process.send?.(message);

async function putAll(url: string, bodies: readonly Uint8Array[]): Promise<void> {
  for (const body of bodies) {
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': MEDIA_TYPES.report },
      body: Buffer.from(body),
    });
    if (response.status !== 200) throw new Error(`upload: HTTP ${response.status}`);
  }
}

let bodies: readonly Uint8Array[] = [];
process.on('message', (message: UploadClientRequest) => {
  if (message.kind === 'load') {
    bodies = message.bodies;
    answer({ kind: 'loaded' });
    return;
  }
  putAll(message.url, bodies).then(
    () => answer({ kind: 'uploaded' }),
    (error: unknown) => answer({ kind: 'failed', reason: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
