/**
 * The central-noise fields of a task file: `centralEpsilon` needs the honest clip bounds its noise
 * is calibrated to (never a silent fallback to the proof's 2^bits − 1), the bounds must be the
 * ones the VDAF was derived from, and the parsed task calibrates to them.
 */
import { Buffer } from 'node:buffer';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { seededRandom } from '../../extension/protocol/noise-seeded-random.ts';
import { encode } from '../dap/codec.ts';
import { generateHpkeKeypair } from '../dap/hpke.ts';
import { hpkeConfigCodec } from '../dap/upload.ts';
import { testTask } from '../test-support/categories.ts';
import { shareNoiseFor } from '../vdaf/central-noise.ts';
import { parseTaskFile, sharedTaskFields, TaskFileError } from './task-file.ts';

const schema = z.strictObject(sharedTaskFields);
const categories = testTask([1, 2, 3]); // default bounds: 50 visits, 240 minutes, 8 bits
let file: Record<string, unknown>;

beforeAll(async () => {
  const collector = await generateHpkeKeypair(3);
  file = {
    taskId: Buffer.alloc(32, 1).toString('base64url'),
    verifyKey: Buffer.alloc(16, 2).toString('base64url'),
    vdaf: categories.vdaf,
    timePrecisionSeconds: 86_400,
    tolerableClockSkewSeconds: 60,
    minBatchSize: 2,
    aggregatorAuthToken: 'a-token-of-at-least-sixteen-chars',
    collectorHpkeConfig: Buffer.from(encode(hpkeConfigCodec, collector.config)).toString(
      'base64url',
    ),
  };
});

const parse = (extra: Record<string, unknown>) =>
  parseTaskFile('helper', schema, { ...file, ...extra }).shared;

describe('task file: central noise calibration', () => {
  it('refuses centralEpsilon without clipBounds, saying what to add', () => {
    expect(() => parse({ centralEpsilon: 2 })).toThrow(TaskFileError);
    expect(() => parse({ centralEpsilon: 2, clipBounds: null })).toThrow(
      /sets centralEpsilon but no clipBounds/,
    );
  });

  it('refuses clip bounds the VDAF was not derived from, or that are not positive integers', () => {
    // 8 bits: the larger bound must need exactly 8 bits (128 … 255).
    expect(() =>
      parse({ centralEpsilon: 2, clipBounds: { visits: 50, activeMinutes: 60 } }),
    ).toThrow(/need 6 bits, but its vdaf has 8/);
    expect(() =>
      parse({ centralEpsilon: 2, clipBounds: { visits: 50, activeMinutes: 256 } }),
    ).toThrow(/need 9 bits/);
    expect(() =>
      parse({ centralEpsilon: 2, clipBounds: { visits: 0, activeMinutes: 240 } }),
    ).toThrow(/clipBounds\.visits/);
    expect(() => parse({ centralEpsilon: 2, clipBounds: { visits: 50 } })).toThrow(
      /clipBounds\.activeMinutes/,
    );
  });

  it('reads the bounds and calibrates the noise to them: visits at scale 50 / (2/9)', () => {
    const task = parse({ centralEpsilon: 2, clipBounds: { visits: 50, activeMinutes: 240 } });
    expect(task.clipBounds).toEqual({ visits: 50, activeMinutes: 240 });
    const { central } = shareNoiseFor(task, seededRandom(1));
    expect(central?.kinds.visits.sensitivity).toBe(50);
    const visits = central!.kinds.visits;
    expect(visits.mechanism).toBe('laplace'); // 9 entries: Laplace has the smaller variance
    if (visits.mechanism === 'laplace') expect(-1 / Math.log(visits.alpha)).toBeCloseTo(225, 6);
    expect(central?.kinds.activeMinutes.sensitivity).toBe(240);
    expect(central?.kinds.flag.sensitivity).toBe(1);
  });

  it('without central noise the bounds are optional', () => {
    expect(parse({}).clipBounds).toBeNull();
    expect(parse({ centralEpsilon: null }).centralEpsilon).toBeNull();
  });
});
