/**
 * `npm start -- --demo` under private aggregation, in small: simulated members of a union whose
 * config has an aggregation block upload their reports to the real leader (the member report
 * builder: shares sealed to the pinned keys, signed by the member), both aggregators finish them,
 * and the union's product job publishes the epoch's sums — equal to the simulated tallies the
 * extension's own `epochMeasurement` clips (noise off).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { memberContributions } from '../aggregator/leader/db/sql-contributions.ts';
import { freshPgliteDb } from '../aggregator/test-support/databases.ts';
import { categoryTask } from '../aggregator/vdaf/task.ts';
import { epochMeasurement } from '../extension/dap/measurement.ts';
import { signJoin } from '../union/test-support/fixtures.ts';
import { freshPglite } from '../union/test-support/pglite-template.ts';
import {
  collectThrough,
  productRows,
  startDapWorld,
  type World,
} from '../union/test/suites/dap-product-suite.ts';
import { dapEpochPlan, dapTaskOf, simulatedUpload, uploadToLeader } from './dap-reports.ts';
import { simulatedEpoch, simulatedMembers } from './simulated-members.ts';

const DAY = 86_400;
let w: World;

beforeAll(async () => {
  w = await startDapWorld({
    freshUnionDb: freshPglite,
    freshRoleDb: freshPgliteDb,
    centralEpsilon: null,
  });
}, 120_000);
afterAll(() => w.close());

describe('demo members under private aggregation', () => {
  it('upload encrypted, signed reports to the leader once per epoch, and the union publishes their sums', async () => {
    const config = w.configs[1]!;
    const members = simulatedMembers(5, config);
    const admin = await w.t.adminClient();
    const { secret } = (await admin<{ secret: string }>('POST', '/v1/admin/secrets', {})).body;
    for (const member of members) {
      const join = await signJoin(member.wallet, w.t.domain, w.t.clock.nowSeconds(), secret);
      const joined = await w.t.call<{ member: { status: string } }>('POST', '/v1/join', join);
      expect(joined.body.member.status).toBe('active');
    }

    w.t.clock.set((w.e + DAY + 3600) * 1000);
    const task = dapTaskOf(config, w.t.domain);
    const upload = () =>
      Promise.all(members.map((m, i) => simulatedUpload(m, config, task, w.e, i)));
    const first = await uploadToLeader(config.aggregation!, await upload());
    expect(first).toEqual({ accepted: 5, duplicate: 0, rejected: 0, errors: [] });
    // A restart shards anew: the leader keeps each member's first report for the epoch.
    const second = await uploadToLeader(config.aggregation!, await upload());
    expect(second).toEqual({ accepted: 0, duplicate: 5, rejected: 0, errors: [] });

    await w.aggregators.runLeader();
    const finished = await memberContributions(
      w.aggregators.leaderDb,
      w.aggregators.taskId,
      0,
      1e12,
    );
    expect(finished.map((c) => c.member).sort()).toEqual(
      members.map((m) => m.wallet.address.toLowerCase()).sort(),
    );

    await collectThrough(w, w.e);
    const measurements = members.map((m, i) =>
      epochMeasurement(categoryTask(config), simulatedEpoch(m, config, w.e, i), m.categories),
    );
    const rows = await productRows(w, w.e);
    for (const [c, category] of config.categories.entries()) {
      const flags = measurements.reduce((s, m) => s + m[3 * c]!, 0);
      const row = rows.find((r) => r.category_id === category.id)!;
      if (flags < config.privacy.kThreshold) {
        expect(row.suppressed).toBe(true);
        continue;
      }
      expect(row).toMatchObject({
        mode: 'dap',
        contributors: flags,
        visits_total: measurements.reduce((s, m) => s + m[3 * c + 1]!, 0),
        active_seconds_total: 60 * measurements.reduce((s, m) => s + m[3 * c + 2]!, 0),
      });
    }
    expect(rows.some((r) => !r.suppressed)).toBe(true);
  }, 120_000);
});

describe('dapEpochPlan', () => {
  const MIN = 60;
  const joined = 1_800_000_030; // mid-minute
  it('reports only epochs that start after the members joined, waiting for the first one when it closes soon', () => {
    const next = Math.ceil(joined / MIN) * MIN;
    // Just after joining: no closed epoch starts after the join; the next one closes in < 2 min.
    expect(dapEpochPlan(joined * 1000 + 5_000, MIN, 3, 0, joined)).toEqual({
      epochs: [next],
      waitUntilMs: (next + MIN + 1) * 1000,
    });
    // Five minutes later: the closed epochs from the join on, at most the last three.
    const later = (next + 5 * MIN + 10) * 1000;
    expect(dapEpochPlan(later, MIN, 3, 0, joined)).toEqual({
      epochs: [next + 2 * MIN, next + 3 * MIN, next + 4 * MIN],
      waitUntilMs: null,
    });
  });

  it('reports nothing yet when the first epoch after the join closes too late (daily epochs)', () => {
    expect(dapEpochPlan(joined * 1000 + 5_000, 86_400, 3, 0, joined)).toEqual({
      epochs: [],
      waitUntilMs: null,
    });
  });
});
