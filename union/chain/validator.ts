/**
 * `union validate`: checks the operator with public data only. For every `RootCommitted` event
 * of the DataUnion (revoked roots skipped) it fetches the published snapshot (the on-chain
 * `stateUri`, or `<stateUrl>/v1/state/<block>`), rebuilds the root with `buildTree` and compares;
 * it also checks that no total ever decreases between roots and that the sum of all totals never
 * exceeds the tokens transferred into the DataUnion up to that block. With `replay`, it also
 * fetches the accounting input log, the membership log and the DataUnion's `AdminFeeChanged`
 * logs, and replays them in chain order (replay-check.ts).
 * Stops at the first mismatch. With `resume` (a checkpoint a previous successful replay run
 * returned), it checks only the roots after the checkpoint's, and fetches and replays only the
 * events and membership entries after it: the cost follows what is new, not the whole log.
 * Leaves are compared in published order where they line up (leaf-compare.ts), not through a
 * map of every member.
 */
import { Interface, type JsonRpcProvider, type Log } from 'ethers';

import { connectRpc } from '../../contracts/chain.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import { publishedEventsPageSchema, type PublishedEvent } from '../monoplasma/event-log.ts';
import { treeEntries } from '../monoplasma/accounting.ts';
import type { MemberTotal } from '../monoplasma/accounting/monoplasma-accounting.ts';
import { buildTree } from '../monoplasma/merkle.ts';
import { erc20Abi } from './chain-client.ts';
import { compareLeaves } from './leaf-compare.ts';
import { readRootState, type PackedState } from './root-state.ts';
import type { ValidatorCheckpoint } from './validator-checkpoint.ts';
import {
  checkNewEvents,
  MembershipMatcher,
  SnapshotReplayer,
  type ChainFeeChange,
  type ChainTransfer,
  type MembershipEntry,
} from './replay-check.ts';

export interface ValidateOptions {
  rpcUrl: string;
  dataUnion: string;
  /** Union base URL; default: each commit's on-chain `stateUri`. */
  stateUrl?: string;
  fromBlock?: number;
  /** Fetches a published JSON document (the union passes an in-process fetcher). */
  fetchJson?: (url: string) => Promise<unknown>;
  /**
   * Reads the published state of a root's block (default: `fetchJson` of its URL). The union's
   * own check passes the function that builds its `GET /v1/state/:block` document, so it
   * checks what is published without a JSON round trip; it throws when there is none.
   */
  readState?: (blockNumber: number) => Promise<PackedState>;
  /** Also replay the published accounting input log and compare every snapshot with it. */
  replay?: boolean;
  /**
   * Fully check only the newest `lastRoots` non-revoked roots (replay still starts from the
   * first event). The union's own check uses it so each run costs a bounded number of trees.
   */
  lastRoots?: number;
  /** Reuse this provider (left open) instead of connecting to `rpcUrl`. */
  provider?: JsonRpcProvider;
  /**
   * Replay mode only: continue from this checkpoint (ignored when its root has been revoked
   * since; then the run starts from the first event, bounded by `lastRoots`). The run moves
   * its accounting and membership matcher on: after a run that did not pass, discard it.
   */
  resume?: ValidatorCheckpoint;
}

export interface ValidateReport {
  ok: boolean;
  /** Blocks of the roots that passed, in order. */
  checked: number[];
  /** The first mismatch, as a sentence. */
  problem?: string;
  /** The last root examined (the failing one, or the newest checked); absent if none. */
  last?: { blockNumber: number; root: string };
  /**
   * Replay mode, when ok: where the next run can resume (the given one if nothing was new; it
   * holds the resumed accounting, moved on, when the run resumed).
   */
  checkpoint?: ValidatorCheckpoint;
}

/** Everything replay mode needs besides the snapshots, fetched once per run. */
interface ReplayInputs {
  events: PublishedEvent[];
  minMembershipAgeSeconds: number;
  membership: MembershipEntry[];
}

const transferTopic = new Interface(erc20Abi).getEvent('Transfer')!.topicHash;

async function defaultFetch(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}.`);
  return res.json();
}

/** The union's base URL from a `stateUri` (`<base>/v1/state/<block>`). */
export function baseUrlOf(stateUri: string): string {
  return stateUri.replace(/\/v1\/state\/\d+\/?$/, '');
}

async function fetchReplayInputs(
  base: string,
  fetchJson: (url: string) => Promise<unknown>,
  eventsAfter: number,
  membershipAfter: number,
): Promise<ReplayInputs> {
  const events: PublishedEvent[] = [];
  let minMembershipAgeSeconds = 0;
  for (let after: number | null = eventsAfter; after !== null;) {
    const page = publishedEventsPageSchema.parse(
      await fetchJson(`${base}/v1/accounting/events?after=${after}&limit=1000`),
    );
    events.push(...(page.events as PublishedEvent[]));
    minMembershipAgeSeconds = page.minMembershipAgeSeconds;
    after = page.next;
  }
  const membership: MembershipEntry[] = [];
  for (let after: number | null = membershipAfter; after !== null;) {
    const page = (await fetchJson(`${base}/v1/membership-log?after=${after}&limit=1000`)) as {
      entries: MembershipEntry[];
      next: number | null;
    };
    membership.push(...page.entries);
    after = page.next;
  }
  return { events, minMembershipAgeSeconds, membership };
}

export async function validate(options: ValidateOptions): Promise<ValidateReport> {
  const provider = options.provider ?? connectRpc(options.rpcUrl);
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
    const transferLogs = async (toBlock: number): Promise<Log[]> =>
      provider.getLogs({
        address: token,
        topics: [transferTopic, null, toTopic],
        fromBlock: from,
        toBlock,
      });
    const checked: number[] = [];
    let last: ValidateReport['last'];
    const resume =
      options.replay === true && options.resume && !revoked.has(options.resume.blockNumber)
        ? options.resume
        : undefined;
    let previous: readonly MemberTotal[] = [];
    let replayer: SnapshotReplayer | undefined;
    let matcher: MembershipMatcher | undefined;
    let logSeq = resume?.logSeq ?? 0;
    let admin = resume?.admin ?? '';
    const fail = (problem: string): ValidateReport => ({
      ok: false,
      checked,
      problem,
      ...(last ? { last } : {}),
    });

    const blockOf = (e: (typeof commits)[number]) =>
      Number((e as unknown as { args: [bigint] }).args[0]);
    const live = commits.filter((e) => !revoked.has(blockOf(e)));
    const examined = resume
      ? live.filter((e) => blockOf(e) > resume.blockNumber)
      : options.lastRoots === undefined
        ? live
        : live.slice(-options.lastRoots);

    for (const event of examined) {
      const [blockBig, root, stateUri] = (event as unknown as { args: [bigint, string, string] })
        .args;
      const block = Number(blockBig);
      last = { blockNumber: block, root: root.toLowerCase() };
      const base = options.stateUrl ? options.stateUrl.replace(/\/$/, '') : baseUrlOf(stateUri);
      const url = options.stateUrl ? `${base}/v1/state/${block}` : stateUri;
      const read = await readRootState(block, url, {
        fetchJson,
        ...(options.readState ? { readState: options.readState } : {}),
      });
      if (typeof read === 'string') return fail(read);
      const { state, entries } = read;
      const tree = await buildTree(read.packed ?? entries);
      const rebuilt = tree.root;
      tree.dispose();
      if (rebuilt !== root.toLowerCase()) {
        return fail(
          `Root of block ${block}: committed ${root} but the published state hashes to ${rebuilt}.`,
        );
      }
      if (resume && checked.length === 0) {
        // The checkpoint root's leaves: what the replay gave there (they matched its state).
        previous = resume.leaves ?? treeEntries(resume.accounting.snapshot(), resume.admin);
      }
      const down = compareLeaves(previous, entries, (before, now) => (now ?? 0n) < before);
      if (down?.kind === 'total') {
        return fail(
          `Root of block ${block}: ${down.address} went down from ${down.expected} to ${down.actual ?? 0n}.`,
        );
      }
      const logs = await transferLogs(block);
      const received = logs.reduce((sum, log) => sum + BigInt(log.data), 0n);
      const sum = entries.reduce((s, e) => s + e.total, 0n);
      if (sum > received) {
        return fail(
          `Root of block ${block}: totals add up to ${sum}, more than the ${received} received.`,
        );
      }
      if (options.replay === true) {
        if (!replayer) {
          let inputs: ReplayInputs;
          try {
            inputs = await fetchReplayInputs(
              base,
              fetchJson,
              resume?.eventSeq ?? 0,
              resume?.membership.after ?? 0,
            );
          } catch (error) {
            return fail(
              `Root of block ${block}: the accounting event log or membership log is not published at ${base} (${String(error)}).`,
            );
          }
          // Up to the head: the log may already hold revenue newer than the last root.
          const transfers = (await transferLogs(await provider.getBlockNumber())).map(toTransfer);
          const fees = (await union.queryFilter(union.filters.AdminFeeChanged!(), from)).map(
            toFeeChange,
          );
          matcher = resume?.membership ?? new MembershipMatcher();
          matcher.add(inputs.membership);
          // Events up to logSeq were checked against the chain and the log by an earlier run.
          const unchecked = inputs.events.filter((e) => e.seq > logSeq);
          const problem = checkNewEvents(unchecked, transfers, matcher, fees, logSeq);
          if (problem) return fail(problem);
          logSeq = unchecked.at(-1)?.seq ?? logSeq;
          replayer = new SnapshotReplayer(
            inputs.events,
            transfers,
            inputs.minMembershipAgeSeconds,
            fees,
            resume,
          );
        }
        const problem = replayer.check(state, entries);
        if (problem) return fail(problem);
        admin = state.admin ?? '';
      }
      checked.push(block);
      previous = entries;
    }
    let checkpoint: ValidatorCheckpoint | undefined = resume;
    if (replayer && matcher && last) {
      checkpoint = {
        blockNumber: last.blockNumber,
        root: last.root,
        admin,
        logSeq,
        membership: matcher,
        ...replayer.position(),
        leaves: previous,
      };
    }
    return { ok: true, checked, ...(last ? { last } : {}), ...(checkpoint ? { checkpoint } : {}) };
  } finally {
    if (!options.provider) provider.destroy();
  }
}

function toFeeChange(log: Log): ChainFeeChange {
  const [, newFraction] = (log as unknown as { args: [bigint, bigint] }).args;
  return {
    txHash: log.transactionHash.toLowerCase(),
    logIndex: log.index,
    blockNumber: log.blockNumber,
    fraction: newFraction,
  };
}

function toTransfer(log: Log): ChainTransfer {
  return {
    txHash: log.transactionHash.toLowerCase(),
    logIndex: log.index,
    blockNumber: log.blockNumber,
    amount: BigInt(log.data),
  };
}
