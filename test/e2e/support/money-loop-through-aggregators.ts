/**
 * The money loop THROUGH THE AGGREGATORS (issue 17), registered by test/e2e/money-loop.spec.ts
 * next to the plain-mode loop, in real Chromium, against a local union
 * started the way `npm start` starts it: the DAP task prepared in the data folder, both configs
 * carrying its aggregation block, the real leader and helper processes running that signed task
 * and checking members against the union's public membership log. The extension onboards,
 * consents, joins and opts in to two categories; its epoch report leaves as two encrypted shares
 * uploaded to the leader (no plain report); 89 other members (the extension core's code in Node)
 * upload the same way; both aggregators prepare the batch; the union records the contributions
 * (payouts), collects the epoch once its acceptance window closed and publishes the product rows
 * in mode `dap`; a researcher buys, a root is committed, the member withdraws gaslessly exactly
 * the share computed here. Finally every request body the extension sent and every row of every
 * table of both aggregators' databases are searched for the visited hosts and the member's plain
 * counts: nothing is found.
 *
 * Noise and k: a task from the signed config always adds central noise (ε at most 8) and its
 * minimum batch size is k (at least 2, even under development limits), so the product cell is
 * checked for being published in mode `dap` with the calibration's standard errors, not for exact
 * counts; the exact-share withdrawal stays checkable because payouts come from the contributions
 * that passed preparation on both aggregators, which noise does not touch. Enough members report
 * that the Shopping cell is published whatever the noise (below, OTHER_MEMBERS).
 */
import { Buffer } from 'node:buffer';
import path from 'node:path';

import { Wallet } from 'ethers';

import { categoryTask, sumVecFor } from '../../../aggregator/vdaf/task.ts';
import { connectRpc } from '../../../contracts/chain.ts';
import { dapTaskOf, simulatedUpload, uploadToLeader } from '../../../demo/dap-reports.ts';
import { demoWallet, fetchConfig, joinMember } from '../../../demo/simulated-members.ts';
import { freePort } from '../../../union/test-support/free-port.ts';
import { buildExtension, repoRoot } from '../../../union/local/extension-build.ts';
import { prepareLocalAggregation } from '../../../union/local/local-aggregation.ts';
import {
  call,
  hook,
  hostResolverArgsFor,
  startPageServer,
  waitFor,
  type PageServer,
} from '../extension-helpers.ts';
import { expect, test } from '../fixtures.ts';
import { openPopup } from '../popup-helpers.ts';
import { onboardAndJoin, switchCategoriesOn, withdrawAllTo } from './money-loop-popup.ts';
import { aggregatorRows, hexOf, startMoneyLoopAggregators } from './money-loop-dap.ts';
import {
  activateReporters,
  awaitAcceptanceWindow,
  downloadEpoch,
  awaitCommittedShare,
  awaitRoomInEpoch,
  domainOf,
  hosts,
  news,
  passFreeze,
  researcherBuysOneDay,
  shopping,
  startMoneyLoopUnion,
  withdrawalOutcome,
  type MoneyLoopUnion,
} from './money-loop-steps.ts';

/**
 * Registers the loop in the calling `test.describe`; `outDir` is the folder the extension is
 * built into for this union (the plain loop's: the two run one after the other).
 */
/**
 * Members in the epoch: the extension's and OTHER_MEMBERS simulated ones. The flags' sum (the
 * contributor count) carries central noise of σ ≈ 17.5 (ε 4, 21 categories, both aggregators'
 * noise), so with two members the Shopping cell would be published or suppressed (below k = 2) at
 * random; with 90 it falls below k only if the noise is below −88, about 5σ (p ≈ 3 · 10⁻⁷).
 */
const OTHER_MEMBERS = 89;
const MEMBERS = 1 + OTHER_MEMBERS;

export function moneyLoopThroughAggregators(outDir: string): void {
  let union: MoneyLoopUnion;
  let aggregators: Awaited<ReturnType<typeof startMoneyLoopAggregators>>;
  let pages: PageServer;

  test.use({
    extensionDir: path.join(repoRoot, outDir),
    extraArgs: hostResolverArgsFor(Object.values(hosts)),
  });
  test.describe.configure({ timeout: 420_000 });

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const ports = { helperPort: await freePort(), leaderPort: await freePort() };
    union = await startMoneyLoopUnion({
      aggregation: (dataDir) => prepareLocalAggregation({ dataDir, ...ports }),
    });
    // Started after config v2 is published: they run its task (the extension uploads under it).
    aggregators = await startMoneyLoopAggregators(union.local, union.aggregation!, ports);
    // The build grants the leader's origin, as `npm start` builds it.
    buildExtension(
      { ...union.local, leaderUrl: `http://127.0.0.1:${ports.leaderPort}` },
      { outDir, mode: 'e2e', quiet: true },
    );
    pages = await startPageServer();
  });

  test.afterAll(async () => {
    await pages?.close();
    await aggregators?.close();
    await union?.close();
  });

  test('member → DAP shares → collected product → purchase → root → gasless withdrawal; no host or plain count leaves the device', async ({
    context,
    extensionId,
  }) => {
    const { local } = union;
    const chain = connectRpc(local.chainUrl);

    // 1. Onboarding: disclosure, consent, join with the baked app secret; two categories.
    await onboardAndJoin(context);
    const popup = await openPopup(context, extensionId);
    const { address: member } = await call(popup, 'keyAddress', {});
    const config = (await call(popup, 'refreshConfig', {})) as { version: number };
    expect(config.version).toBe(2);
    await switchCategoriesOn(popup, [/Shopping/, /News/]);

    // 2. Browse within one epoch.
    await awaitRoomInEpoch(20_000);
    // Other members (the extension core's code in Node) join during this epoch, before the
    // leader's membership read for the extension's upload (it reads the log at most once a second).
    const domain = domainOf(local);
    const others = Array.from({ length: OTHER_MEMBERS }, (_, i) => demoWallet(424_242 + i));
    const joined = await Promise.all(
      others.map((wallet) => joinMember(local.unionUrl, domain, wallet, local.appSecret)),
    );
    expect(joined.every(Boolean)).toBe(true);
    const tab = await context.newPage();
    for (const [host, pagePath] of [
      [hosts.shop, '/basket'],
      [hosts.shop, '/product/2'],
      [hosts.news, '/today'],
    ] as const) {
      await tab.goto(pages.url(host, pagePath));
    }
    type Tallies = { epochStart: number; tallies: Record<string, { visits: number }> }[];
    const open = await waitFor(async () => {
      const now = (await hook(popup, 'openTallies')) as Tallies;
      const visits = (id: number) => now[0]?.tallies[String(id)]?.visits ?? 0;
      return visits(shopping.id) === 2 && visits(news.id) === 1 ? now : undefined;
    }, 'two shopping visits and one news visit');
    const epochStart = open[0]!.epochStart;

    // 3. The epoch closes; the report leaves as shares to the leader, none to the union.
    const closed = (await hook(popup, 'closeEpochNow')) as { reported: number[] };
    expect(closed.reported).toContain(epochStart);
    const sent = await waitFor(
      async () => {
        const entry = (await call(popup, 'sentLog', {})).entries.find(
          (e) => e.epochStart === epochStart,
        );
        return entry?.outcome === 'stored' ? entry : undefined;
      },
      'the report stored by the leader',
      60_000,
    );
    const dap = sent.dap!;
    const live = await fetchConfig(local.unionUrl);
    const task = categoryTask(live);
    const measurementOf = (id: number) => {
      const at = 3 * task.categoryIds.indexOf(id);
      return dap.measurement.slice(at, at + 2); // flag, visits
    };
    expect(dap.task.taskId).toBe(live.aggregation!.taskId);
    expect(measurementOf(shopping.id)).toEqual([1, 2]);
    expect(measurementOf(news.id)).toEqual([1, 1]);
    const { entries: requests } = await call(popup, 'requestLog', {});
    expect(requests.filter((r) => r.path.endsWith('/v1/reports'))).toEqual([]);

    // The other members upload Shopping only.
    const uploads = await Promise.all(
      others.map((wallet, i) =>
        simulatedUpload(
          { wallet, categories: [shopping.id] },
          live,
          dapTaskOf(live, domain),
          epochStart,
          1 + i,
        ),
      ),
    );
    expect(await uploadToLeader(live.aggregation!, uploads)).toMatchObject({
      accepted: OTHER_MEMBERS,
      errors: [],
    });

    // 4. Every report passes preparation on both aggregators; the union records the
    // contributions from the leader, which makes the members active.
    await waitFor(
      async () => {
        await local.server.product.aggregateNow();
        const { rows } = await local.server.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM dap_contributions WHERE epoch_start = $1',
          [epochStart],
        );
        return rows[0]!.n === MEMBERS ? true : undefined;
      },
      'every contribution recorded from the leader',
      90_000,
    );
    await activateReporters(local);

    // 5. Purchase, committed root, freeze passed, gasless withdrawal of exactly the share.
    const { token, share } = await researcherBuysOneDay(local, chain, BigInt(MEMBERS));
    await awaitCommittedShare(local, member, share);
    await passFreeze(local, member, share);
    const recipient = Wallet.createRandom().address;
    await withdrawAllTo(popup, recipient);
    const { entries: afterWithdrawal } = await call(popup, 'requestLog', {});
    const outcome = await withdrawalOutcome(local, token, { member, recipient }, afterWithdrawal);
    expect(outcome).toMatchObject({ received: share, withdrawn: share });

    // 6. Once the acceptance window closed, the union collects the epoch from the leader and
    // publishes it, once, in mode dap (noisy: see the header).
    await awaitAcceptanceWindow(epochStart);
    await waitFor(
      async () => {
        const published = await local.server.product.aggregateNow();
        return published.some((e) => e.epochStart === epochStart) ? true : undefined;
      },
      'the epoch collected and published',
      200_000,
    );
    const again = await local.server.product.aggregateNow();
    expect(again.map((e) => e.epochStart)).not.toContain(epochStart);
    const rows = (await downloadEpoch(local, epochStart, 'ndjson'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const shoppingRow = rows.find((r) => r.category_key === shopping.key);
    // MEMBERS contributors, noise of σ ≈ 17.5 on their count: published (see the header).
    expect(shoppingRow).toMatchObject({ mode: 'dap', suppressed: false, k_threshold: 2 });

    // 7. Nothing the extension sent and nothing either aggregator stored holds a visited host or
    // the member's plain counts. Searched: the host names and paths; a plain report's JSON keys;
    // the measurement vector as JSON, as comma-separated text, as bytes and as field elements
    // (raw and hex, as a database row shows binary).
    await aggregators.close();
    const vdaf = sumVecFor(task);
    const asField = vdaf.flp.field.encode(dap.measurement.map(BigInt));
    const asBytes = Uint8Array.from(dap.measurement);
    const sentBytes = Buffer.from(dap.bytes!.slice(2), 'hex');
    const { entries: allRequests } = await call(popup, 'requestLog', {});
    const { entries: allSent } = await call(popup, 'sentLog', {});
    const textNeedles = [
      ...Object.values(hosts),
      'basket',
      'today',
      '"visits"',
      '"counts"',
      JSON.stringify(dap.measurement),
      dap.measurement.join(','),
    ];
    const hexNeedles = [hexOf(asBytes), hexOf(asField)];
    const bodies = [
      ...allRequests.map((r) => r.body ?? ''),
      ...allSent.map((e) => e.body),
      sentBytes.toString('latin1'),
    ];
    // The needles are what a clear measurement looks like: the device's own log shows it so.
    expect(JSON.stringify(allSent)).toContain(JSON.stringify(dap.measurement));
    for (const body of bodies) {
      for (const needle of [...textNeedles, ...hexNeedles]) expect(body).not.toContain(needle);
    }
    expect(sentBytes.includes(Buffer.from(asBytes))).toBe(false);
    expect(sentBytes.includes(Buffer.from(asField))).toBe(false);
    const leaderRows = await aggregatorRows(union.aggregation!, 'leader');
    const helperRows = await aggregatorRows(union.aggregation!, 'helper');
    // The search reads the rows: the leader stores the upload as sent (its bytes, in hex).
    expect(leaderRows.some((row) => row.includes(hexOf(sentBytes.subarray(0, 64))))).toBe(true);
    expect(helperRows.length).toBeGreaterThan(0);
    for (const row of [...leaderRows, ...helperRows]) {
      for (const needle of [...textNeedles, ...hexNeedles]) expect(row).not.toContain(needle);
    }
    chain.destroy();
  });
}
