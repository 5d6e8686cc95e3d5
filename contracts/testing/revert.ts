/**
 * Decodes the custom error a contract call reverted with, so tests can assert on the error's name
 * and arguments rather than on message strings.
 */
import { Interface, isCallException, isError } from 'ethers';
import type { InterfaceAbi } from 'ethers';

export interface DecodedRevert {
  readonly name: string;
  readonly args: unknown[];
}

/**
 * The revert data in an ethers error: a `CALL_EXCEPTION` from gas estimation or a call carries it
 * as `data`; a transaction sent with a fixed gas limit that Hardhat rejects arrives as
 * `UNKNOWN_ERROR` with the node's error (and its `data`) inside.
 */
function revertData(error: unknown): string | undefined {
  if (isCallException(error)) return error.data ?? undefined;
  if (isError(error, 'UNKNOWN_ERROR')) {
    const inner: unknown = error.error;
    if (typeof inner === 'object' && inner !== null && 'data' in inner) {
      return typeof inner.data === 'string' ? inner.data : undefined;
    }
  }
  return undefined;
}

/**
 * Awaits `action` and returns the custom error it reverted with, decoded with any of `abis`.
 * Throws if it did not revert, or reverted with data none of the ABIs knows.
 */
export async function revertOf(
  action: Promise<unknown>,
  ...abis: InterfaceAbi[]
): Promise<DecodedRevert> {
  try {
    await action;
  } catch (error: unknown) {
    const data = revertData(error);
    if (!data) throw error;
    for (const abi of abis) {
      const decoded = new Interface(abi).parseError(data);
      if (decoded) return { name: decoded.name, args: decoded.args.toArray(true) as unknown[] };
    }
    throw new Error(`reverted with unknown data ${data}`, { cause: error });
  }
  throw new Error('expected a revert, but the call succeeded');
}
