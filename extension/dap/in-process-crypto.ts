/**
 * `DapCrypto` in this context, the Prio3/HPKE code imported on first use: for Node tests and
 * benchmarks. The extension runs these steps in a worker (`background/dap-offscreen/`).
 */
import type { DapCrypto } from './dap-crypto.ts';

export function inProcessDapCrypto(): DapCrypto {
  return {
    async shard(request) {
      return (await import('./build-upload.ts')).shardForUpload(request);
    },
    async seal(request) {
      return (await import('./build-upload.ts')).sealUpload(request);
    },
  };
}
