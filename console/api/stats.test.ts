import { afterEach, describe, expect, it, vi } from 'vitest';

import { loadValidatorStatus } from './stats.ts';

const answer = (status: number, body: unknown) =>
  vi.fn(() => Promise.resolve(new Response(JSON.stringify(body), { status })));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('loadValidatorStatus', () => {
  it('reads the last run, or null before the first one', async () => {
    const run = {
      blockNumber: 7,
      root: '0xab',
      ok: false,
      problem: 'Root of block 7 differs from the replayed books.',
      checkedAt: '2026-12-05T08:00:00.000Z',
      commitsChecked: 1,
    };
    vi.stubGlobal('fetch', answer(200, { lastRun: run }));
    expect(await loadValidatorStatus()).toEqual({ kind: 'status', lastRun: run });
    vi.stubGlobal('fetch', answer(200, { lastRun: null }));
    expect(await loadValidatorStatus()).toEqual({ kind: 'status', lastRun: null });
  });

  it('treats 404 as a union without the endpoint, and other failures as errors', async () => {
    vi.stubGlobal('fetch', answer(404, { error: { code: 'NOT_FOUND', message: 'Not found.' } }));
    expect(await loadValidatorStatus()).toEqual({ kind: 'unavailable' });
    vi.stubGlobal('fetch', answer(500, { error: { code: 'INTERNAL', message: 'Broken.' } }));
    await expect(loadValidatorStatus()).rejects.toThrow('Broken.');
  });
});
