/**
 * Cross-checks against the real DAP-09 client, `@divviup/dap` 0.9.1: it fetches our HPKE config
 * lists, shards and seals a measurement, and our codec and HPKE open exactly what it sent.
 */
import { HpkeConfig as ClientHpkeConfig } from '@divviup/dap';
import { Buffer } from 'node:buffer';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode, encode } from './codec.ts';
import { generateHpkeKeypair, HpkeOpenError, Role, type HpkeKeypair } from './hpke.ts';
import { openInputShare } from './hpke-open.ts';
import { hpkeConfigCodec, reportCodec, type Report } from './upload.ts';
import { uploadWithRealClient } from '../test-support/real-client.ts';

const TIME_PRECISION = 3600;
const taskId = new Uint8Array(32).map((_, i) => i + 1);

describe('the @divviup/dap client against our codec and HPKE', () => {
  let leaderKeys: HpkeKeypair;
  let helperKeys: HpkeKeypair;
  let body: Uint8Array;
  let report: Report;

  beforeAll(async () => {
    leaderKeys = await generateHpkeKeypair(7);
    helperKeys = await generateHpkeKeypair(9);
    const uploads = await uploadWithRealClient({
      taskId,
      leaderKeys: [leaderKeys],
      helperKeys: [helperKeys],
      vdaf: { type: 'sumVec', length: 6, bits: 4, chunkLength: 2 },
      timePrecisionSeconds: TIME_PRECISION,
      measurements: [[1, 2, 3, 0, 1, 15]],
      at: new Date(Date.UTC(2026, 11, 6, 7, 42, 5)),
    });
    const first = uploads[0];
    if (first === undefined) throw new Error('the client uploaded nothing');
    body = first.body;
    report = decode(reportCodec, body, 'report');
  });

  it('encodes an HPKE config byte for byte as the client does', () => {
    const ours = encode(hpkeConfigCodec, leaderKeys.config);
    const theirs = ClientHpkeConfig.parse(Buffer.from(ours));
    expect(theirs.id).toBe(7);
    expect(new Uint8Array(theirs.encode())).toEqual(ours);
  });

  it('decodes the uploaded report and re-encodes the same bytes', () => {
    expect(encode(reportCodec, report)).toEqual(body);
    expect(report.metadata.time).toBe(Date.UTC(2026, 11, 6, 7) / 1000);
    expect(report.metadata.reportId).toHaveLength(16);
    expect(report.leaderEncryptedInputShare.configId).toBe(7);
    expect(report.helperEncryptedInputShare.configId).toBe(9);
  });

  it('opens the leader and the helper input shares with the draft-09 info and AAD', async () => {
    const aad = { taskId, metadata: report.metadata, publicShare: report.publicShare };
    const leader = await openInputShare(
      [leaderKeys],
      Role.leader,
      report.leaderEncryptedInputShare,
      aad,
    );
    const helper = await openInputShare(
      [helperKeys],
      Role.helper,
      report.helperEncryptedInputShare,
      aad,
    );
    expect(leader.extensions).toEqual([]);
    expect(helper.extensions).toEqual([]);
    // The helper's share is three XOF seeds (measurement, proof, blind); the leader's is expanded.
    expect(helper.payload).toHaveLength(48);
    expect(leader.payload.length).toBeGreaterThan(48);
  });

  it('refuses a share opened for the other role, under another task, or with an unknown key', async () => {
    const aad = { taskId, metadata: report.metadata, publicShare: report.publicShare };
    const asHelper = openInputShare(
      [leaderKeys],
      Role.helper,
      report.leaderEncryptedInputShare,
      aad,
    );
    await expect(asHelper).rejects.toMatchObject({ code: 'hpke_decrypt_error' });
    const otherTask = { ...aad, taskId: new Uint8Array(32) };
    const underOtherTask = openInputShare(
      [leaderKeys],
      Role.leader,
      report.leaderEncryptedInputShare,
      otherTask,
    );
    await expect(underOtherTask).rejects.toBeInstanceOf(HpkeOpenError);
    const unknownKey = openInputShare(
      [helperKeys],
      Role.leader,
      report.leaderEncryptedInputShare,
      aad,
    );
    await expect(unknownKey).rejects.toMatchObject({ code: 'hpke_unknown_config_id' });
  });
});
