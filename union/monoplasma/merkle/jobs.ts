/**
 * Messages between the tree builder and its worker threads. Every buffer is a view over a
 * SharedArrayBuffer, so posting a job shares memory instead of copying it.
 */

export type MerkleJob =
  | {
      /** Hash leaves `[from, to)` into `out`, and write their sort keys into `keyWords`. */
      readonly kind: 'leaves';
      readonly addresses: Uint8Array;
      readonly totals: Uint8Array;
      readonly out: Uint8Array;
      readonly keyWords: Uint32Array;
      readonly from: number;
      readonly to: number;
    }
  | {
      /** Hash internal nodes `[from, to)`, highest index first. */
      readonly kind: 'nodes';
      readonly internal: Uint8Array;
      readonly leaves: Uint8Array;
      readonly order: Uint32Array;
      readonly from: number;
      readonly to: number;
    };

export interface MerkleJobRequest {
  readonly id: number;
  readonly job: MerkleJob;
}

export type MerkleWorkerReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly id: number }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
