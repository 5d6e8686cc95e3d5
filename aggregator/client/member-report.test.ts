import { describe, expect, it } from 'vitest';
import {
  MEMBER_SIGNATURE_EXTENSION,
  verifyDapUpload,
} from '../../extension/protocol/dap-upload-signature.ts';
import { Role } from '../dap/hpke.ts';
import { openInputShare } from '../dap/hpke-open.ts';
import { encode } from '../dap/codec.ts';
import { reportCodec, type Report } from '../dap/upload.ts';
import { testTask } from '../test-support/categories.ts';
import { prepareReport } from '../test-support/in-process.ts';
import { memberReport, testDomain, testMember } from '../test-support/member-reports.ts';
import { taskPairWithReports } from '../test-support/task-pair.ts';

const DAY = 86_400;
const at = new Date('2026-11-20T13:45:00Z');
const categories = testTask([1, 2]);
const measurement = [1, 7, 30, 0, 0, 0];

async function open(pair: Awaited<ReturnType<typeof taskPairWithReports>>, report: Report) {
  const aad = {
    taskId: pair.leader.taskId,
    metadata: report.metadata,
    publicShare: report.publicShare,
  };
  return {
    leader: await openInputShare(
      pair.leader.keypairs,
      Role.leader,
      report.leaderEncryptedInputShare,
      aad,
    ),
    helper: await openInputShare(
      pair.helper.keypairs,
      Role.helper,
      report.helperEncryptedInputShare,
      aad,
    ),
  };
}

describe('the member report builder', () => {
  it('without a signer builds what the real @divviup/dap client builds, field for field in size', async () => {
    const pair = await taskPairWithReports(categories, [measurement], at);
    const real = pair.reports[0]!;
    const ours = await memberReport(pair, DAY, measurement, at.getTime() / 1000, null);
    expect(ours.metadata.time).toBe(real.metadata.time);
    expect(ours.publicShare.length).toBe(real.publicShare.length);
    for (const side of ['leaderEncryptedInputShare', 'helperEncryptedInputShare'] as const) {
      expect(ours[side].configId).toBe(real[side].configId);
      expect(ours[side].enc.length).toBe(real[side].enc.length);
      expect(ours[side].payload.length).toBe(real[side].payload.length);
    }
    const [oursOpen, realOpen] = [await open(pair, ours), await open(pair, real)];
    expect(oursOpen.leader.extensions).toEqual([]);
    expect(oursOpen.leader.payload.length).toBe(realOpen.leader.payload.length);
    expect(oursOpen.helper.payload.length).toBe(realOpen.helper.payload.length);
    const sums = await prepareReport(
      { ...pair.leader, leaderKeys: pair.leader.keypairs, helperKeys: pair.helper.keypairs },
      ours,
    );
    const field = pair.leader.vdaf.flp.field;
    expect(sums.leader.map((x, i) => field.add(x, sums.helper[i]!))).toEqual(
      measurement.map(BigInt),
    );
  });

  it('signed, carries the member signature in both sealed shares, over this report', async () => {
    const pair = await taskPairWithReports(categories, [], at);
    const member = testMember(1);
    const report = await memberReport(pair, DAY, measurement, at.getTime() / 1000, member);
    const opened = await open(pair, report);
    for (const share of [opened.leader, opened.helper]) {
      expect(share.extensions.map((e) => e.type)).toEqual([MEMBER_SIGNATURE_EXTENSION]);
      const signed = {
        taskId: pair.leader.taskId,
        reportId: report.metadata.reportId,
        epochStart: report.metadata.time,
        publicShare: report.publicShare,
      };
      expect(verifyDapUpload(testDomain, signed, share.extensions[0]!.data)).toBe(member.address);
    }
    expect(report.metadata.time % DAY).toBe(0);
  });

  it('gives every upload of a task the same length, whichever categories are on (a network observer learns none)', async () => {
    const pair = await taskPairWithReports(categories, [], at);
    const time = at.getTime() / 1000;
    const lengths = await Promise.all(
      [
        [0, 0, 0, 0, 0, 0],
        [1, 7, 30, 0, 0, 0],
        [0, 0, 0, 1, 50, 240],
        [1, 50, 240, 1, 50, 240],
      ].map(async (m, i) => {
        const signed = await memberReport(pair, DAY, m, time, testMember(i + 1));
        const unsigned = await memberReport(pair, DAY, m, time, null);
        return [encode(reportCodec, signed).length, encode(reportCodec, unsigned).length];
      }),
    );
    expect(new Set(lengths.map(([signed]) => signed)).size).toBe(1);
    expect(new Set(lengths.map(([, unsigned]) => unsigned)).size).toBe(1);
  });
});
