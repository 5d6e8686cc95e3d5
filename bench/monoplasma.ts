/**
 * Monoplasma benchmark (issue 7): Merkle roots for 100 k and 1 M members, the 1 M build's peak
 * memory, 10,000 revenue events at 1 M members, and proof generation. Prints detail lines, then
 * one JSON object as the last line:
 * { root100kMs, root100kOzMs, root1mMs, root1mPeakRssBytes, revenue10kEventsAt1mMembersMs, proofMs }
 *
 * The 1 M builds run in child processes (`--child <mode>`) so each peak RSS is clean. Repeated
 * measurements are reported as medians; the machine is shared, so expect noise.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

import { MonoplasmaAccounting, FEE_SCALE } from '../union/monoplasma/accounting.ts';
import {
  buildTree,
  closeMerkleWorkers,
  warmUpMerkleWorkers,
  type MerkleEntry,
  type PackedEntries,
} from '../union/monoplasma/merkle.ts';

const MILLION = 1_000_000;
const ROOT_1M_RUNS = 3;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (ms: number, digits = 1) => Number(ms.toFixed(digits));
const log = (line: string) => console.log(line);

/** Deterministic bytes (xorshift32), so every run and every child builds the same tree. */
function fillPseudoRandom(
  bytes: Uint8Array,
  seed: number,
  stride = 1,
  width = 1,
  offset = 0,
): void {
  let x = seed >>> 0 || 1;
  for (let start = offset; start < bytes.length; start += stride) {
    for (let i = start; i < start + width; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
  }
}

/**
 * Members with realistic 18-decimal totals (9 random low bytes: up to ~4.7e21 base units, more
 * than 2^64), packed straight into shared memory as the committer can hand them to buildTree.
 */
function packedMembers(count: number, seed: number): PackedEntries {
  const addresses = new Uint8Array(new SharedArrayBuffer(count * 20));
  const totals = new Uint8Array(new SharedArrayBuffer(count * 32));
  fillPseudoRandom(addresses, seed);
  fillPseudoRandom(totals, seed + 1, 32, 9, 23);
  return { count, addresses, totals };
}

function memberEntries(count: number, seed: number): MerkleEntry[] {
  const { addresses, totals } = packedMembers(count, seed);
  const buffer = Buffer.from(addresses.buffer);
  const totalsBuffer = Buffer.from(totals.buffer);
  return Array.from({ length: count }, (_, i) => ({
    address: `0x${buffer.toString('hex', i * 20, i * 20 + 20)}`,
    total: BigInt(`0x${totalsBuffer.toString('hex', i * 32, i * 32 + 32)}`),
  }));
}

async function timed<T>(run: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const result = await run();
  return [result, performance.now() - start];
}

// ── children: one 1 M build each, so peak RSS belongs to that build ──────────────────────────

interface ChildResult {
  root: string;
  ms: number;
  /** CPU time of all threads during the build: a load-independent view of the work done. */
  cpuMs: number;
  peakRssBytes: number;
  proofMs: number;
}

async function child(mode: 'packed' | 'entries'): Promise<ChildResult> {
  await warmUpMerkleWorkers();
  (await buildTree(memberEntries(30_000, 99))).dispose(); // JIT warm-up, as in a long-lived committer
  const input = mode === 'packed' ? packedMembers(MILLION, 7) : memberEntries(MILLION, 7);
  const cpuBefore = process.cpuUsage();
  const [tree, ms] = await timed(() => buildTree(input));
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000; // all threads of this process
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const packed = Buffer.from(tree.packed.addresses.buffer, tree.packed.addresses.byteOffset);
  const addresses = Array.from({ length: 2000 }, (_, i) => {
    const at = ((i * 7919) % MILLION) * 20;
    return `0x${packed.toString('hex', at, at + 20)}`;
  });
  const batches: number[] = [];
  for (let b = 0; b < 10; b++) {
    const [, batchMs] = await timed(() => {
      for (let k = b * 200; k < (b + 1) * 200; k++) tree.getProof(addresses[k]!);
    });
    batches.push(batchMs / 200);
  }
  const result = { root: tree.root, ms, cpuMs, peakRssBytes, proofMs: median(batches) };
  await closeMerkleWorkers();
  return result;
}

function runChild(mode: 'packed' | 'entries'): ChildResult {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').at(-1)!) as ChildResult;
}

// ── parent ────────────────────────────────────────────────────────────────────────────────────

async function root100k(): Promise<{ ours: number; oz: number }> {
  const entries = memberEntries(100_000, 3);
  await warmUpMerkleWorkers();
  (await buildTree(memberEntries(30_000, 99))).dispose(); // JIT warm-up
  const runs: number[] = [];
  let root = '';
  for (let r = 0; r < 5; r++) {
    const [tree, ms] = await timed(() => buildTree(entries));
    runs.push(ms);
    root = tree.root;
    tree.dispose();
  }
  log(`root 100k (ours, 2 workers): ${runs.map((ms) => round(ms)).join(', ')} ms`);
  const values = entries.map((e): [string, string] => [e.address, e.total.toString()]);
  const [oz, ozMs] = await timed(() => StandardMerkleTree.of(values, ['address', 'uint256']));
  log(`root 100k (OpenZeppelin): ${round(ozMs)} ms`);
  if (oz.root !== root)
    throw new Error(`root mismatch at 100k: ours ${root}, OpenZeppelin ${oz.root}`);
  log(`root 100k identical: ${root}`);
  return { ours: median(runs), oz: ozMs };
}

function revenueAt1m(): number {
  const accounting = new MonoplasmaAccounting({ adminFeeFraction: FEE_SCALE / 10n });
  const addresses = memberEntries(MILLION, 11).map((e) => e.address);
  for (const address of addresses) {
    accounting.memberJoined(address, 0);
    accounting.memberActivityChanged(address, true, 0);
  }
  const probe = addresses[123]!;
  addresses.length = 0;
  const runs: number[] = [];
  let at = 1;
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    for (let i = 0; i < 10_000; i++, at++) {
      accounting.revenue(
        `0x${at.toString(16).padStart(64, '0')}:0`,
        1_000_000_000_000_000_003n,
        at,
      );
    }
    runs.push(performance.now() - start);
  }
  const expected = (50_000n * (1_000_000_000_000_000_003n - 100_000_000_000_000_000n)) / 1_000_000n;
  const sample = accounting.totalOf(probe);
  if (sample !== expected) throw new Error(`revenue bench: total ${sample}, expected ${expected}`);
  log(`10k revenue events at 1M members: ${runs.map((ms) => round(ms, 2)).join(', ')} ms`);
  return median(runs);
}

async function main(): Promise<void> {
  const childMode = process.argv.indexOf('--child');
  if (childMode >= 0) {
    const mode = process.argv[childMode + 1] === 'entries' ? 'entries' : 'packed';
    console.log(JSON.stringify(await child(mode)));
    return;
  }
  const r100k = await root100k();
  await closeMerkleWorkers();

  const packedRuns = Array.from({ length: ROOT_1M_RUNS }, () => runChild('packed'));
  const roots = new Set(packedRuns.map((r) => r.root));
  if (roots.size !== 1) throw new Error(`1M roots differ between runs: ${[...roots].join(', ')}`);
  const mib = (bytes: number) => round(bytes / 2 ** 20);
  log(
    `root 1M from packed entries: ${packedRuns.map((r) => round(r.ms)).join(', ')} ms ` +
      `(CPU ${packedRuns.map((r) => round(r.cpuMs, 0)).join(', ')} ms over all threads); ` +
      `peak RSS ${packedRuns.map((r) => mib(r.peakRssBytes)).join(', ')} MiB`,
  );
  const objects = runChild('entries');
  if (objects.root !== packedRuns[0]!.root) throw new Error('1M root differs between input forms');
  log(
    `root 1M from {address, total} objects: ${round(objects.ms)} ms ` +
      `(CPU ${round(objects.cpuMs, 0)} ms); peak RSS ` +
      `${mib(objects.peakRssBytes)} MiB (includes the 1M input objects)`,
  );

  const revenueMs = revenueAt1m();
  const proofs = [...packedRuns.map((r) => r.proofMs), objects.proofMs];
  log(`proof per member at 1M: ${proofs.map((ms) => round(ms, 4)).join(', ')} ms`);

  console.log(
    JSON.stringify({
      root100kMs: round(r100k.ours),
      root100kOzMs: round(r100k.oz),
      root1mMs: round(median(packedRuns.map((r) => r.ms))),
      root1mPeakRssBytes: median(packedRuns.map((r) => r.peakRssBytes)),
      revenue10kEventsAt1mMembersMs: round(revenueMs, 2),
      proofMs: round(median(proofs), 4),
    }),
  );
}

await main();
