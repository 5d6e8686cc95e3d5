/**
 * Prio3 preparation as the two DAP-09 aggregators run it (VDAF-08 ping-pong topology, one round):
 *
 *   leader  prepareInit → initialize(prep_share_L) ─────────────▶ helper
 *   helper  prepareInit, unshardPreparationShares([L, H]) → prep_msg, prepareNext → output share
 *   helper  ◀──────────────────────────── finish(prep_msg) (PrepareResp "continue")
 *   leader  prepareNext(prep_msg) → output share
 *
 * Every step is the library's; this module decodes bytes into its structures and maps its failures
 * to the DAP PrepareError a PrepareResp reports.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { Buffer } from 'node:buffer';
import type { PingPongMessage, PrepareError } from '../dap/aggregation.ts';
import {
  decodeHelperInputShare,
  decodeLeaderInputShare,
  decodePrepMessage,
  decodePrepShare,
  decodePublicShare,
  Prio3DecodeError,
  type OutputShare,
} from './prio3-shares.ts';

type Vdaf = Prio3SumVec;
type PreparationState = Awaited<ReturnType<Vdaf['prepareInit']>>['preparationState'];

export type PrepareFailureCode = Extract<
  PrepareError,
  'vdaf_prep_error' | 'invalid_message' | 'hpke_unknown_config_id' | 'hpke_decrypt_error'
>;

/** The report failed preparation; `code` is the DAP PrepareError to answer with. */
export class PrepareFailure extends Error {
  override readonly name = 'PrepareFailure';
  constructor(
    readonly code: PrepareFailureCode,
    message: string,
  ) {
    super(message);
  }
}

const LEADER_ID = 0;
const HELPER_ID = 1;

export interface ReportShares {
  /** The report id: Prio3's nonce. */
  readonly reportId: Uint8Array;
  readonly publicShare: Uint8Array;
  /** The aggregator's decrypted `PlaintextInputShare.payload`. */
  readonly inputShare: Uint8Array;
}

async function guard<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (cause) {
    if (cause instanceof Prio3DecodeError)
      throw new PrepareFailure('invalid_message', cause.message);
    if (cause instanceof PrepareFailure) throw cause;
    throw new PrepareFailure(
      'vdaf_prep_error',
      `The report's validity proof does not verify (${String(cause)}).`,
    );
  }
}

/**
 * The public share holds one joint-randomness part per aggregator, each derived from that
 * aggregator's input share (VDAF-08 §7.2.2). Prio3 itself only checks the *other* aggregator's part
 * (through the preparation message), so an aggregator also checks its own: its share is the one the
 * public share — which the member signs — commits to, whatever the other aggregator claims.
 */
function checkOwnPart(vdaf: Vdaf, aggregatorId: number, publicShare: Uint8Array, part: Buffer) {
  const seed = vdaf.xof.seedSize;
  const committed = publicShare.subarray(aggregatorId * seed, (aggregatorId + 1) * seed);
  if (!part.equals(committed)) {
    throw new PrepareFailure(
      'vdaf_prep_error',
      "The input share is not the one the report's public share commits to.",
    );
  }
}

export interface LeaderStarted {
  readonly state: PreparationState;
  readonly outbound: PingPongMessage;
}

export function leaderInit(
  vdaf: Vdaf,
  verifyKey: Uint8Array,
  report: ReportShares,
): Promise<LeaderStarted> {
  return guard(async () => {
    const { preparationState, preparationShare } = await vdaf.prepareInit(
      Buffer.from(verifyKey),
      LEADER_ID,
      null,
      Buffer.from(report.reportId),
      decodePublicShare(vdaf, report.publicShare),
      decodeLeaderInputShare(vdaf, report.inputShare),
    );
    checkOwnPart(vdaf, LEADER_ID, report.publicShare, preparationShare.jointRandomnessPart);
    return {
      state: preparationState,
      outbound: { type: 'initialize', prepShare: vdaf.encodePreparationShare(preparationShare) },
    };
  });
}

function expectType<T extends PingPongMessage['type']>(
  message: PingPongMessage,
  type: T,
): Extract<PingPongMessage, { type: T }> {
  if (message.type !== type) {
    throw new PrepareFailure(
      'invalid_message',
      `Expected a ping-pong ${type}, got ${message.type}.`,
    );
  }
  return message as Extract<PingPongMessage, { type: T }>;
}

export interface HelperFinished {
  readonly outputShare: OutputShare;
  readonly outbound: PingPongMessage;
}

export function helperInit(
  vdaf: Vdaf,
  verifyKey: Uint8Array,
  report: ReportShares,
  inbound: PingPongMessage,
): Promise<HelperFinished> {
  return guard(async () => {
    const leaderShare = decodePrepShare(vdaf, expectType(inbound, 'initialize').prepShare);
    const inputShare = await decodeHelperInputShare(vdaf, HELPER_ID, report.inputShare);
    const { preparationState, preparationShare } = await vdaf.prepareInit(
      Buffer.from(verifyKey),
      HELPER_ID,
      null,
      Buffer.from(report.reportId),
      decodePublicShare(vdaf, report.publicShare),
      inputShare,
    );
    checkOwnPart(vdaf, HELPER_ID, report.publicShare, preparationShare.jointRandomnessPart);
    const prepMessage = await vdaf.unshardPreparationShares(null, [leaderShare, preparationShare]);
    const next = vdaf.prepareNext(preparationState, prepMessage);
    if (!('outputShare' in next)) throw new Error('Prio3 prepares in one round');
    return {
      outputShare: next.outputShare,
      outbound: { type: 'finish', prepMsg: vdaf.encodePreparationMessage(prepMessage) },
    };
  });
}

export function leaderFinish(
  vdaf: Vdaf,
  state: PreparationState,
  inbound: PingPongMessage,
): Promise<OutputShare> {
  return guard(() => {
    const message = decodePrepMessage(vdaf, expectType(inbound, 'finish').prepMsg);
    const next = vdaf.prepareNext(state, message);
    if (!('outputShare' in next)) throw new Error('Prio3 prepares in one round');
    return Promise.resolve(next.outputShare);
  });
}
