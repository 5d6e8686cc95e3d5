/**
 * Both aggregators' side of one report, in one process: open each share, prepare, and return both
 * output shares. The HTTP leader/helper split comes later; tests and the benchmark use this to check
 * that what the real client uploads aggregates to the plain sums.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { Role, type HpkeKeypair } from '../dap/hpke.ts';
import { openInputShare } from '../dap/hpke-open.ts';
import type { Report } from '../dap/upload.ts';
import { helperInit, leaderFinish, leaderInit } from '../vdaf/prepare.ts';
import type { OutputShare } from '../vdaf/prio3-shares.ts';

export interface AggregatorPair {
  readonly vdaf: Prio3SumVec;
  readonly taskId: Uint8Array;
  readonly verifyKey: Uint8Array;
  readonly leaderKeys: readonly HpkeKeypair[];
  readonly helperKeys: readonly HpkeKeypair[];
}

export async function prepareReport(
  pair: AggregatorPair,
  report: Report,
): Promise<{ leader: OutputShare; helper: OutputShare }> {
  const { vdaf, verifyKey } = pair;
  const aad = { taskId: pair.taskId, metadata: report.metadata, publicShare: report.publicShare };
  const leaderPlain = await openInputShare(
    pair.leaderKeys,
    Role.leader,
    report.leaderEncryptedInputShare,
    aad,
  );
  const helperPlain = await openInputShare(
    pair.helperKeys,
    Role.helper,
    report.helperEncryptedInputShare,
    aad,
  );
  const common = { reportId: report.metadata.reportId, publicShare: report.publicShare };
  const started = await leaderInit(vdaf, verifyKey, { ...common, inputShare: leaderPlain.payload });
  const helper = await helperInit(
    vdaf,
    verifyKey,
    { ...common, inputShare: helperPlain.payload },
    started.outbound,
  );
  const leader = await leaderFinish(vdaf, started.state, helper.outbound);
  return { leader, helper: helper.outputShare };
}
