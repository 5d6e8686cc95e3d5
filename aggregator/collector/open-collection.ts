/**
 * The collector's last step (DAP-09 §4.6.5): open both aggregate shares of a `Collection` with the
 * collector's HPKE key — each under its aggregator's role and the AAD naming task and batch — and
 * unshard them into the batch's sums — signed: with central noise a sum can fall below zero, and
 * a field element above p / 2 is read as negative (`../vdaf/signed-field.ts`).
 */
import type { Prio3SumVec } from '@divviup/prio3';
import type { Interval } from '../dap/batch.ts';
import type { Collection } from '../dap/collection.ts';
import { Role, type HpkeKeypair } from '../dap/hpke.ts';
import { openAggregateShare } from '../dap/hpke-open.ts';
import { decodeAggregateShare } from '../vdaf/prio3-shares.ts';
import { unshardSigned } from '../vdaf/signed-field.ts';

export async function openCollection(
  vdaf: Prio3SumVec,
  taskId: Uint8Array,
  collectorKeys: readonly HpkeKeypair[],
  batchInterval: Interval,
  collection: Collection,
): Promise<number[]> {
  const aad = { taskId, aggregationParameter: new Uint8Array(0), batchInterval };
  const shares = await Promise.all([
    openAggregateShare(collectorKeys, Role.leader, collection.leaderEncryptedAggregateShare, aad),
    openAggregateShare(collectorKeys, Role.helper, collection.helperEncryptedAggregateShare, aad),
  ]);
  return unshardSigned(
    shares.map((s) => decodeAggregateShare(vdaf, s)),
    vdaf.flp.field.modulus,
  );
}
