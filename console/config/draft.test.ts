import { describe, expect, it } from 'vitest';

import { categories } from '../../extension/protocol/taxonomy.ts';
import {
  buildConfig,
  configProblems,
  diffConfigs,
  draftCategory,
  draftFrom,
  parseDomains,
} from './draft.ts';
import { DEVELOPMENT_LIMITS } from '../../extension/protocol/privacy-budget.ts';
import {
  aggregationFor,
  checkTaskContinuity,
} from '../../extension/protocol/config-aggregation.ts';

const first = categories[0]!;
const second = categories[1]!;

describe('config draft', () => {
  it('builds the next version, sorted and trimmed, that the shared rules accept', () => {
    const draft = draftFrom(null);
    draft.categories = [
      { ...draftCategory(second), domains: 'A.example.com\nb.example.org.' },
      draftCategory(first),
    ];
    const config = buildConfig(draft, null, 1_800_000_000_000);
    expect(config.version).toBe(1);
    expect(config.issuedAt).toBe(1_800_000_000);
    expect(config.categories.map((c) => c.id)).toEqual([first.id, second.id].sort((a, b) => a - b));
    expect(configProblems(config)).toEqual([]);
    expect(config.categories.find((c) => c.id === second.id)!.domains).toEqual([
      'a.example.com',
      'b.example.org',
    ]);
  });

  it('reports problems as sentences', () => {
    const draft = draftFrom(null);
    draft.privacy.epsilon = 20;
    const problems = configProblems(buildConfig(draft, null, 0));
    expect(problems.some((p) => p.includes('ε must be at most 8'))).toBe(true);
    expect(problems).toContain('Pick at least one category.');
  });

  it('checks the union’s limits: one-minute epochs only for a development union, never a sensitive rule', () => {
    const draft = draftFrom(null);
    draft.categories = [{ ...draftCategory(first), domains: 'pokerstars.com' }];
    draft.epochSeconds = 60;
    const config = buildConfig(draft, null, 0);
    const store = configProblems(config);
    expect(store.some((p) => p.includes('sensitive site (gambling)'))).toBe(true);
    draft.categories = [draftCategory(first)];
    const quick = buildConfig(draft, null, 0);
    expect(configProblems(quick).join(' ')).toMatch(/shorter than the minimum of 3600 seconds/);
    expect(configProblems(quick, DEVELOPMENT_LIMITS)).toEqual([]);
  });

  it('diffs against the live config', () => {
    const draft = draftFrom(null);
    draft.categories = [draftCategory(first)];
    const live = buildConfig(draft, null, 0);
    const next = draftFrom(live);
    next.privacy.epsilon = 1.5;
    next.categories.push({ ...draftCategory(second), domains: 'x.example.com' });
    next.categories[0]!.domains = 'y.example.com';
    const changes = diffConfigs(live, buildConfig(next, live, 0));
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'changed', before: '2', after: '1.5' }),
        expect.objectContaining({ kind: 'added', what: `category ${second.label}` }),
        expect.objectContaining({
          kind: 'added',
          what: `${first.label}: domains`,
          after: 'y.example.com',
        }),
      ]),
    );
    expect(parseDomains(' a.com, b.com a.com ')).toEqual(['a.com', 'b.com']);
  });

  it('keeps the live aggregation block through an edit, derived again from the edited categories', () => {
    const draft = draftFrom(null);
    draft.categories = [draftCategory(first), draftCategory(second)];
    const plain = buildConfig(draft, null, 1_800_000_000_000);
    const live = {
      ...plain,
      aggregation: aggregationFor(plain, {
        taskId: Buffer.alloc(32, 4).toString('base64url'),
        leaderUrl: 'https://union.example.org/',
        helperUrl: 'https://helper.example.net/',
        helperHpkeConfig: Buffer.from([1, 0, 0x20, 0, 1, 0, 1, 0, 1, 5]).toString('base64url'),
        centralEpsilon: 1,
      }),
    };
    const edit = draftFrom(live);
    expect(buildConfig(edit, live, 1_800_000_000_000).aggregation).toEqual(live.aggregation);
    edit.categories = edit.categories.slice(1);
    const next = buildConfig(edit, live, 1_800_000_100_000);
    // Other parameters are another DAP task: a new task id, derived (the same edit, the same id).
    expect(next.aggregation).toMatchObject({ helperUrl: 'https://helper.example.net/' });
    expect(next.aggregation?.taskId).not.toBe(live.aggregation.taskId);
    expect(next.aggregation?.taskId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(buildConfig(edit, live, 0).aggregation?.taskId).toBe(next.aggregation?.taskId);
    expect(next.aggregation?.vdaf.length).toBe(3);
    expect(configProblems(next)).toEqual([]);
    expect(() => checkTaskContinuity(live, next)).not.toThrow();
    expect(diffConfigs(live, next)).toContainEqual({
      kind: 'changed',
      what: 'aggregation: VDAF',
      before: 'Prio3SumVec length 6, bits 8, chunk length 7',
      after: 'Prio3SumVec length 3, bits 8, chunk length 5',
    });
  });
});
