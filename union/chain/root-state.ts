/**
 * A root's published state as the validator checks it: the document's fields and its leaves as
 * values, read either as the JSON anyone downloads (`GET /v1/state/:block` or the commit's
 * `stateUri`), or — the union's own check — in-process, with its leaves packed as the Merkle tree
 * hashes them (services/published-state.ts, which also builds the route's document from them).
 */
import type { MemberTotal } from '../monoplasma/accounting/monoplasma-accounting.ts';
import type { PackedEntries } from '../monoplasma/merkle.ts';
import { ADDRESS_BYTES, readUint256, TOTAL_BYTES } from '../monoplasma/merkle/encoding.ts';
import { parseLeaves, type ReplayedState } from './replay-check.ts';

/** A published state read in-process: the document's fields, its leaves packed. */
export interface PackedState extends Omit<ReplayedState, 'members'> {
  root: string;
  leaves: PackedEntries;
}

export interface RootState {
  state: Omit<ReplayedState, 'members'>;
  /** Every leaf, in published order, lower-case addresses. */
  entries: MemberTotal[];
  /** The same leaves packed, when read so (the tree is built from them without packing). */
  packed?: PackedEntries;
}

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const ADDRESS_TEXT = 2 + 2 * ADDRESS_BYTES;

/**
 * Packed leaves as values, in order. The addresses are written as text into one buffer and cut
 * from one string, so each is a flat string (compared without being assembled first, unlike a
 * string built digit by digit); totals below 2^64 — nearly all — cost one BigInt.
 */
export function unpackLeaves(leaves: PackedEntries): MemberTotal[] {
  const { count, addresses, totals } = leaves;
  const text = new Uint8Array(count * ADDRESS_TEXT);
  for (let i = 0, at = 0; i < count; i++) {
    text[at++] = 0x30; // 0
    text[at++] = 0x78; // x
    for (let b = i * ADDRESS_BYTES; b < (i + 1) * ADDRESS_BYTES; b++) {
      const byte = addresses[b]!;
      text[at++] = HEX_DIGITS[byte >> 4]!;
      text[at++] = HEX_DIGITS[byte & 15]!;
    }
  }
  const all = Buffer.from(text.buffer, 0, text.length).toString('latin1');
  const view = new DataView(totals.buffer, totals.byteOffset, totals.byteLength);
  const out = new Array<MemberTotal>(count);
  for (let i = 0; i < count; i++) {
    const at = i * TOTAL_BYTES;
    const small =
      view.getUint32(at) === 0 &&
      view.getUint32(at + 4) === 0 &&
      view.getUint32(at + 8) === 0 &&
      view.getUint32(at + 12) === 0 &&
      view.getUint32(at + 16) === 0 &&
      view.getUint32(at + 20) === 0;
    out[i] = {
      address: all.slice(i * ADDRESS_TEXT, (i + 1) * ADDRESS_TEXT),
      total: small ? view.getBigUint64(at + 24) : readUint256(totals, at),
    };
  }
  return out;
}

/**
 * The state of the root of `block`: from `readState` (in-process) when given, else the JSON
 * document at `url`; a sentence naming the problem when it cannot be read or is not that
 * block's.
 */
export async function readRootState(
  block: number,
  url: string,
  read: {
    readState?: (block: number) => Promise<PackedState>;
    fetchJson: (url: string) => Promise<unknown>;
  },
): Promise<RootState | string> {
  let found: RootState;
  if (read.readState) {
    let packed: PackedState;
    try {
      packed = await read.readState(block);
    } catch (error) {
      return notPublished(block, url, error);
    }
    const { leaves, ...state } = packed;
    found = { state, entries: unpackLeaves(leaves), packed: leaves };
  } else {
    let json: ReplayedState;
    try {
      json = (await read.fetchJson(url)) as ReplayedState;
    } catch (error) {
      return notPublished(block, url, error);
    }
    if (json?.blockNumber !== block || !Array.isArray(json.members)) {
      return `Root of block ${block}: ${url} does not hold that block's state.`;
    }
    found = { state: json, entries: parseLeaves(json) };
  }
  if (found.state.blockNumber !== block) {
    return `Root of block ${block}: ${url} does not hold that block's state.`;
  }
  if (found.entries.length === 0) return `Root of block ${block}: the state is empty.`;
  return found;
}

const notPublished = (block: number, url: string, error: unknown) =>
  `Root of block ${block}: its state is not published at ${url} (${String(error)}).`;
