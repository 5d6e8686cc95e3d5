/**
 * Property test: random sequences of purchases, commits (honest, from the reference model, and
 * sometimes inflated by a fraudulent operator), waits, revocations and withdrawals through all
 * three paths (signed ones with various minimum amounts), checked call by call against `UnionModel`.
 * Protects the invariant of DESIGN §4: total withdrawn ≤ total revenue, for every sequence; a
 * signed withdrawal never pays less than its `minAmount`; and a member who withdraws ends up with
 * exactly their total in the latest usable root.
 */
import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { Wallet } from 'ethers';
import type { JsonRpcSigner } from 'ethers';
import { devAccount } from './chain.ts';
import { dataUnionAbi } from './generated/data-union.ts';
import { FREEZE_PERIOD, latestTimestamp, snapshotter, unionFixture } from './testing/fixture.ts';
import type { UnionFixture } from './testing/fixture.ts';
import { earningsTree, proofOf } from './testing/merkle.ts';
import { revertOf } from './testing/revert.ts';
import { signWithdraw } from './testing/union-actions.ts';
import { UnionModel } from './testing/union-model.ts';
import type { ModelCommit } from './testing/union-model.ts';

const PRICE_PER_SECOND = 10n ** 12n;
const MEMBERS = 4;
/** Transactions skip gas estimation so they run at exactly the block time the model sets. */
const tx = { gasLimit: 1_000_000 };

interface Member {
  readonly signer: JsonRpcSigner;
  readonly wallet: Wallet;
}

let f: UnionFixture;
let chain: Awaited<ReturnType<typeof snapshotter>>;
let members: Member[];
let recipients: string[];

beforeAll(async () => {
  f = await unionFixture({ pricePerSecond: PRICE_PER_SECOND });
  members = f.others.slice(0, MEMBERS).map((signer, i) => ({
    signer,
    wallet: new Wallet(devAccount(4 + i).privateKey),
  }));
  recipients = f.others.slice(MEMBERS, MEMBERS + 3).map((s) => s.address);
  await (await f.token.mint(f.researcher.address, 10n ** 30n)).wait();
  await (await f.token.connect(f.researcher).approve(f.deployment.marketplace, 2n ** 255n)).wait();
  chain = await snapshotter(f.provider);
});

/** Advances the model clock by one second and makes the next block carry that time. */
async function tick(model: UnionModel): Promise<void> {
  model.now += 1n;
  await f.provider.send('evm_setNextBlockTimestamp', [Number(model.now)]);
}

async function checkInvariants(model: UnionModel): Promise<void> {
  const [withdrawn, revenue] = await Promise.all([
    f.union.totalWithdrawn(),
    f.union.totalRevenue(),
  ]);
  expect(withdrawn).toBe(model.totalWithdrawn);
  expect(revenue).toBe(model.revenue);
  expect(withdrawn).toBeLessThanOrEqual(revenue);
}

type Command = fc.AsyncCommand<UnionModel, UnionFixture>;
const always = () => true;

const buy = (seconds: bigint, member: number): Command => ({
  check: always,
  async run(model) {
    await tick(model);
    const price = seconds * PRICE_PER_SECOND;
    await (
      await f.market.connect(f.researcher).buy(f.deployment.productId, seconds, price, tx)
    ).wait();
    model.receive(seconds * PRICE_PER_SECOND, member);
    await checkInvariants(model);
  },
  toString: () => `buy(${seconds}s for member ${member})`,
});

const commit = (inflation: bigint, inflated: number): Command => ({
  check: always,
  async run(model) {
    const block = BigInt(await f.provider.getBlockNumber());
    const totals = model.earnings.map((e, i) => (i === inflated ? e + inflation : e));
    const tree = earningsTree(members.map((m, i) => [m.wallet.address, totals[i] ?? 0n]));
    await tick(model);
    await (await f.union.connect(f.operator).commit(block, tree.root, '', tx)).wait();
    model.commits.push({ block, totals, tree, committedAt: model.now, revoked: false });
  },
  toString: () => `commit(+${inflation} for member ${inflated})`,
});

const wait = (seconds: bigint): Command => ({
  check: always,
  async run(model) {
    model.now += seconds;
    await f.provider.send('evm_setNextBlockTimestamp', [Number(model.now)]);
    await f.provider.send('evm_mine', []);
  },
  toString: () => `wait(${seconds}s)`,
});

const revoke = (): Command => ({
  check: (model) => model.latestFrozen(model.now + 1n) !== undefined,
  async run(model) {
    await tick(model);
    const target = model.latestFrozen();
    if (!target) throw new Error('check() guarantees a frozen commit');
    await (await f.union.revoke(target.block, tx)).wait();
    target.revoked = true;
    expect(await f.union.isUsable(target.block)).toBe(false);
  },
  toString: () => 'revoke(latest frozen)',
});

type Path = 'withdrawAll' | 'withdrawAllTo' | 'signed';
/**
 * The `minAmount` a signed request carries: the target root's payout (what an honest union shows),
 * none, one unit more than it pays, or the payout of the newest commit (the member was shown a
 * newer, possibly frozen or inflated root, and the request is relayed against an older one).
 */
type Minimum = 'payout' | 'none' | 'aboveByOne' | 'newest';

function payoutOf(model: UnionModel, member: number, commit: ModelCommit | undefined): bigint {
  const gain = (commit?.totals[member] ?? 0n) - (model.withdrawn[member] ?? 0n);
  return gain > 0n ? gain : 0n;
}

function minAmountFor(model: UnionModel, member: number, target: ModelCommit, minimum: Minimum) {
  if (minimum === 'none') return 0n;
  if (minimum === 'newest') return payoutOf(model, member, model.commits.at(-1));
  const payout = payoutOf(model, member, target);
  return minimum === 'aboveByOne' ? payout + 1n : payout;
}

const withdraw = (
  member: number,
  path: Path,
  recipientIndex: number,
  minimum: Minimum = 'payout',
): Command => ({
  check: (model) => model.commits.length > 0,
  async run(model) {
    await tick(model);
    // The latest usable root if any; otherwise the latest root, which must then be refused.
    const target = model.latestUsable() ?? model.commits.at(-1);
    if (!target) throw new Error('check() guarantees a commit');
    const { wallet, signer } = members[member]!;
    const total = target.totals[member] ?? 0n;
    const proof = proofOf(target.tree, wallet.address);
    const recipient = path === 'withdrawAll' ? wallet.address : recipients[recipientIndex]!;
    const minAmount = path === 'signed' ? minAmountFor(model, member, target, minimum) : 0n;
    const request = {
      member: wallet.address,
      recipient,
      withdrawnBefore: model.withdrawn[member] ?? 0n,
      minAmount,
      deadline: model.now + 86_400n,
    };
    const send = async () => {
      if (path === 'withdrawAll') {
        return f.union
          .connect(f.relayer)
          .withdrawAll(target.block, wallet.address, total, proof, tx);
      }
      if (path === 'withdrawAllTo') {
        return f.union.connect(signer).withdrawAllTo(target.block, recipient, total, proof, tx);
      }
      const signature = await signWithdraw(wallet, f, request);
      return f.union
        .connect(f.relayer)
        .withdrawAllToSigned(target.block, total, proof, request, signature, tx);
    };

    const expected = model.expectWithdraw(member, target, model.now, minAmount);
    const before = await f.token.balanceOf(recipient);
    if (expected.kind === 'paid') {
      await (await send()).wait();
      model.paid(member, total);
      expect(expected.amount).toBeGreaterThanOrEqual(minAmount);
      expect(await f.token.balanceOf(recipient)).toBe(before + expected.amount);
      expect(await f.union.withdrawn(wallet.address)).toBe(total);
    } else {
      expect((await revertOf(send(), dataUnionAbi)).name).toBe(expected.error);
      expect(await f.token.balanceOf(recipient)).toBe(before);
    }
    await checkInvariants(model);
  },
  toString: () =>
    `${path}(member ${member} → recipient ${recipientIndex}${path === 'signed' ? `, min ${minimum}` : ''})`,
});

const member = fc.integer({ min: 0, max: MEMBERS - 1 });
const buys = fc.tuple(fc.bigInt(1n, 1_000_000n), member).map(([s, m]) => buy(s, m));
const honestCommits = fc.constant(null).map(() => commit(0n, 0));
// A fraudulent operator inflates one member's total, sometimes beyond the whole balance.
const fraudulentCommits = fc.tuple(fc.bigInt(1n, 10n ** 18n), member).map(([x, m]) => commit(x, m));
const waits = fc
  .oneof(fc.bigInt(1n, FREEZE_PERIOD / 2n), fc.constant(FREEZE_PERIOD))
  .map((s) => wait(s));
const revokes = fc.constant(null).map(() => revoke());
const withdrawals = fc
  .tuple(
    member,
    fc.constantFrom<Path>('withdrawAll', 'withdrawAllTo', 'signed'),
    fc.nat(2),
    fc.constantFrom<Minimum>('payout', 'none', 'aboveByOne', 'newest'),
  )
  .map(([m, p, r, min]) => withdraw(m, p, r, min));
// fc.commands picks uniformly among these; repeats weight the common moves.
const commands = [
  buys,
  buys,
  honestCommits,
  honestCommits,
  fraudulentCommits,
  waits,
  waits,
  revokes,
  withdrawals,
  withdrawals,
  withdrawals,
];

it('never pays out more than it received, whatever happens', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'max' }), async (cmds) => {
      await chain.restore();
      const model = new UnionModel(MEMBERS, await latestTimestamp(f.provider), FREEZE_PERIOD);
      await fc.asyncModelRun(() => ({ model, real: f }), cmds);

      // Finally everyone withdraws against the latest usable root and holds exactly its total.
      await wait(FREEZE_PERIOD).run(model, f);
      const latest = model.latestUsable();
      if (!latest) return;
      const paths: Path[] = ['withdrawAll', 'withdrawAllTo', 'signed'];
      for (let i = 0; i < MEMBERS; i++) {
        const outcome = model.expectWithdraw(i, latest, model.now + 1n);
        await withdraw(i, paths[i % paths.length]!, i % 3).run(model, f);
        if (outcome.kind === 'paid' || outcome.error === 'NothingToWithdraw') {
          expect(await f.union.withdrawn(members[i]!.wallet.address)).toBe(latest.totals[i]);
        }
      }
    }),
    { numRuns: 40 },
  );
});
