/**
 * The seam between the service worker and the DAP report worker, in Node: requests and answers
 * cross as JSON (as runtime messages do), the worker's answer function does the real Prio3 and
 * HPKE work, and the service worker's side validates what comes back.
 */
import { describe, expect, it } from 'vitest';

import { decode, encode } from '../../aggregator/dap/codec.ts';
import { generateHpkeKeypair } from '../../aggregator/dap/hpke.ts';
import { hpkeConfigCodec, reportCodec } from '../../aggregator/dap/upload.ts';
import { sealedWire } from '../../extension/dap/dap-crypto.ts';
import { toBase64Url } from '../../extension/protocol/config-aggregation.ts';
import { categoryTask } from '../../extension/protocol/dap-task.ts';
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import { answerDapRequest } from './answer.ts';
import { dapCryptoOver, resultOf } from './worker-crypto.ts';

const asMessage = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function task() {
  const [leader, helper] = await Promise.all([generateHpkeKeypair(1), generateHpkeKeypair(2)]);
  const shape = categoryTask({
    categories: [{ id: 1 }, { id: 2 }],
    privacy: { maxVisits: 50, maxActiveSeconds: 14_400 },
  });
  return {
    taskId: toBase64Url(new Uint8Array(32).fill(5)),
    leaderUrl: 'https://leader.example/',
    leaderHpkeConfig: toBase64Url(encode(hpkeConfigCodec, leader.config)),
    helperHpkeConfig: toBase64Url(encode(hpkeConfigCodec, helper.config)),
    vdaf: { type: 'Prio3SumVec' as const, ...shape.vdaf },
    timePrecisionSeconds: 86_400,
  };
}

describe('the DAP report worker seam', () => {
  it('shards and seals across JSON messages into a report that decodes, one request at a time', async () => {
    const order: string[] = [];
    const crypto = dapCryptoOver(
      async (request) => {
        order.push(`${request.op}:start`);
        const reply = asMessage(await answerDapRequest(asMessage(request)));
        order.push(`${request.op}:end`);
        return reply;
      },
      () => Promise.resolve(),
    );
    const dapTask = await task();
    const sharded = await crypto.shard({
      task: dapTask,
      measurement: [1, 3, 2, 0, 0, 0],
      time: 86_400 * 3 + 5,
    });
    expect(sharded.time).toBe(86_400 * 3);
    const [first, second] = await Promise.all([
      crypto.seal({ task: dapTask, sharded, extensions: [] }),
      crypto.seal({ task: dapTask, sharded, extensions: [{ type: 0xff43, data: '0x01' }] }),
    ]);
    expect(order).toEqual([
      'shard:start',
      'shard:end',
      'seal:start',
      'seal:end',
      'seal:start',
      'seal:end',
    ]);
    const report = decode(
      reportCodec,
      Uint8Array.from(Buffer.from(first.bytes.slice(2), 'hex')),
      'report',
    );
    expect(Buffer.from(report.metadata.reportId).toString('hex')).toBe(sharded.reportId.slice(2));
    expect(second.bytes).not.toBe(first.bytes);
  });

  it('answers a malformed request with BAD_REQUEST and a failing one with its code', async () => {
    expect(
      await answerDapRequest({ target: 'crowdsell-dap-offscreen', op: 'shard' }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const dapTask = await task();
    const broken = await answerDapRequest(
      asMessage({
        target: 'crowdsell-dap-offscreen',
        op: 'seal',
        request: {
          task: { ...dapTask, leaderHpkeConfig: undefined },
          sharded: {
            reportId: '0x00',
            time: 0,
            publicShare: '0x',
            leaderShare: '0x',
            helperShare: '0x',
          },
          extensions: [],
        },
      }),
    );
    expect(broken).toMatchObject({ ok: false, error: { code: 'DAP_LEADER_CONFIG' } });
  });

  it('trusts only well-formed answers on the service worker’s side', () => {
    const code = (answer: unknown) => {
      try {
        resultOf(answer, sealedWire);
        return null;
      } catch (error) {
        return error instanceof CrowdsellError ? error.code : 'other';
      }
    };
    expect(code({ ok: true, result: { bytes: '0x00ff' } })).toBeNull();
    expect(code({ ok: true, result: { bytes: 'ff' } })).toBe('DAP_BUILDER_FAILED');
    expect(code(undefined)).toBe('DAP_BUILDER_FAILED');
    expect(code({ ok: false, error: { code: 'DAP_LEADER_CONFIG', message: 'x' } })).toBe(
      'DAP_LEADER_CONFIG',
    );
  });
});
