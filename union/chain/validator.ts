/**
 * `union validate`: checks the operator with public data only. For every `RootCommitted` event
 * of the DataUnion it fetches the published snapshot (the on-chain `stateUri`, or
 * `<stateUrl>/v1/state/<block>`), rebuilds the root with `buildTree` and compares; it also checks
 * that no total ever decreases between roots and that the sum of all totals never exceeds the
 * tokens transferred into the DataUnion up to that block. Stops at the first mismatch.
 */
import { Interface } from 'ethers';

import { connectRpc } from '../../contracts/chain.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import { buildTree } from '../monoplasma/merkle.ts';
import { erc20Abi } from './chain-client.ts';

export interface ValidateOptions {
  rpcUrl: string;
  dataUnion: string;
  /** Union base URL; default: each commit's on-chain `stateUri`. */
  stateUrl?: string;
  fromBlock?: number;
  /** Fetches a snapshot JSON (tests pass an in-process fetcher). */
  fetchJson?: (url: string) => Promise<unknown>;
}

export interface ValidateReport {
  ok: boolean;
  checked: number[];
  /** The first mismatch, as a sentence. */
  problem?: string;
}

interface PublishedState {
  blockNumber: number;
  root: string;
  members: { address: string; total: string }[];
}

const transferTopic = new Interface(erc20Abi).getEvent('Transfer')!.topicHash;

async function defaultFetch(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}.`);
  return res.json();
}

export async function validate(options: ValidateOptions): Promise<ValidateReport> {
  const provider = connectRpc(options.rpcUrl);
  try {
    const union = dataUnionAt(options.dataUnion, provider);
    const fetchJson = options.fetchJson ?? defaultFetch;
    const from = options.fromBlock ?? 0;
    const commits = await union.queryFilter(union.filters.RootCommitted!(), from);
    const revoked = new Set(
      (await union.queryFilter(union.filters.RootRevoked!(), from)).map((e) =>
        Number((e as unknown as { args: [bigint] }).args[0]),
      ),
    );
    const token = await union.token();
    const toTopic = `0x${options.dataUnion.toLowerCase().slice(2).padStart(64, '0')}`;
    const checked: number[] = [];
    let previous = new Map<string, bigint>();
    const fail = (problem: string): ValidateReport => ({ ok: false, checked, problem });

    for (const event of commits) {
      const [blockBig, root, stateUri] = (event as unknown as { args: [bigint, string, string] })
        .args;
      const block = Number(blockBig);
      if (revoked.has(block)) continue;
      const url = options.stateUrl
        ? `${options.stateUrl.replace(/\/$/, '')}/v1/state/${block}`
        : stateUri;
      let state: PublishedState;
      try {
        state = (await fetchJson(url)) as PublishedState;
      } catch (error) {
        return fail(
          `Root of block ${block}: its state is not published at ${url} (${String(error)}).`,
        );
      }
      if (state.blockNumber !== block || !Array.isArray(state.members)) {
        return fail(`Root of block ${block}: ${url} does not hold that block's state.`);
      }
      if (state.members.length === 0) return fail(`Root of block ${block}: the state is empty.`);
      const entries = state.members.map((m) => ({ address: m.address, total: BigInt(m.total) }));
      const tree = await buildTree(entries);
      const rebuilt = tree.root;
      tree.dispose();
      if (rebuilt !== root.toLowerCase()) {
        return fail(
          `Root of block ${block}: committed ${root} but the published state hashes to ${rebuilt}.`,
        );
      }
      const current = new Map(entries.map((e) => [e.address.toLowerCase(), e.total]));
      for (const [address, total] of previous) {
        const now = current.get(address) ?? 0n;
        if (now < total) {
          return fail(`Root of block ${block}: ${address} went down from ${total} to ${now}.`);
        }
      }
      const logs = await provider.getLogs({
        address: token,
        topics: [transferTopic, null, toTopic],
        fromBlock: from,
        toBlock: block,
      });
      const received = logs.reduce((sum, log) => sum + BigInt(log.data), 0n);
      const sum = entries.reduce((s, e) => s + e.total, 0n);
      if (sum > received) {
        return fail(
          `Root of block ${block}: totals add up to ${sum}, more than the ${received} received.`,
        );
      }
      checked.push(block);
      previous = current;
    }
    return { ok: true, checked };
  } finally {
    provider.destroy();
  }
}
