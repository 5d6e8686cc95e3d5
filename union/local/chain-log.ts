/**
 * A persistent local chain for `npm start`: Hardhat 2's EVM lives in memory, so every call that
 * changes chain state is appended to a log in the data folder and replayed at the next start,
 * block by block with the original timestamps. Replaying the same signed transactions at the same
 * timestamps rebuilds the same state (same nonces, same addresses, same balances), so the union's
 * database and the chain never disagree after a restart.
 *
 * Pure parts here (what to record, how to replay); the file and provider adapter are in
 * persistent-chain.ts.
 */
import { z } from 'zod';

/** Calls that mine a block (automine) or change state without one. */
const blockProducing = new Set([
  'eth_sendTransaction',
  'eth_sendRawTransaction',
  'evm_mine',
  'hardhat_mine',
]);
const stateSetting = new Set([
  'hardhat_setBalance',
  'hardhat_setCode',
  'hardhat_setStorageAt',
  'hardhat_setNonce',
]);
/** Calls that cannot be replayed faithfully; the local chain refuses them. */
const refused = new Set(['evm_snapshot', 'evm_revert', 'hardhat_reset']);

export function isRecorded(method: string): boolean {
  return blockProducing.has(method) || stateSetting.has(method);
}

export function isBlockProducing(method: string): boolean {
  return blockProducing.has(method);
}

export function isRefused(method: string): boolean {
  return refused.has(method);
}

export const chainLogEntrySchema = z.strictObject({
  method: z.string(),
  params: z.array(z.unknown()),
  /** Timestamp of the first block this call mined, if it mined one. */
  timestamp: z.number().int().optional(),
  /** The original call failed (e.g. a reverted transaction that was still mined). */
  failed: z.boolean().optional(),
});
export type ChainLogEntry = z.infer<typeof chainLogEntrySchema>;

/** Parses the log, tolerating a torn last line (a crash while appending). */
export function parseChainLog(text: string): { entries: ChainLogEntry[]; tornTail: boolean } {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const entries: ChainLogEntry[] = [];
  for (const [index, line] of lines.entries()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      if (index === lines.length - 1) return { entries, tornTail: true };
      throw new Error(`The local chain log is corrupt at line ${index + 1}.`);
    }
    const entry = chainLogEntrySchema.safeParse(parsed);
    if (!entry.success) throw new Error(`The local chain log is corrupt at line ${index + 1}.`);
    entries.push(entry.data);
  }
  return { entries, tornTail: false };
}
