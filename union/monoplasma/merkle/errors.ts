import { CrowdsellError } from '../../../extension/protocol/errors.ts';

export type MerkleErrorCode =
  | 'MERKLE_INVALID_ADDRESS'
  | 'MERKLE_INVALID_TOTAL'
  | 'MERKLE_DUPLICATE_ADDRESS'
  | 'MERKLE_EMPTY'
  | 'MERKLE_NOT_IN_TREE'
  | 'MERKLE_INVALID_DUMP'
  | 'MERKLE_DISPOSED'
  | 'MERKLE_WORKER_FAILED';

/** A Merkle builder or tree error; `code` is stable, `message` is one sentence for a person. */
export class MerkleError extends CrowdsellError {
  declare readonly code: MerkleErrorCode;

  constructor(code: MerkleErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'MerkleError';
  }
}
