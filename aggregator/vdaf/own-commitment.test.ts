/**
 * Why each aggregator checks its own input share against the public share. Prio3 (VDAF-08
 * §7.2.2) checks, through the preparation message, only that the *other* aggregator's
 * joint-randomness part matches the public share. A hostile leader that keeps a member's signed
 * report id and public share can therefore build a fresh sharing of a measurement of its choice —
 * it proves with the joint randomness of (the public share's leader part, its own helper part) and
 * claims the public leader part in its preparation share — and, without the helper's own check,
 * the helper would count that measurement under the member's signature. Built here from the
 * library's public pieces (FLP prove/query, the XOF, domain-separation tags).
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testTask } from '../test-support/categories.ts';
import { helperInit, PrepareFailure } from './prepare.ts';
import { sumVecFor } from './task.ts';

const vdaf = sumVecFor(testTask([4, 5]));
const { flp, xof, proofs } = vdaf;
const field = flp.field;
const Usage = {
  measurementShare: 1,
  proofShare: 2,
  jointRandomness: 3,
  proveRandomness: 4,
  queryRandomness: 5,
  jointRandSeed: 6,
  jointRandPart: 7,
};
const dst = (usage: number) => vdaf.domainSeparationTag(usage);
const seed = () => new Uint8Array(randomBytes(xof.seedSize));
const chunk = (v: bigint[], len: number, i: number) => v.slice(i * len, (i + 1) * len);
const derive = async (key: Uint8Array, usage: number, parts: Uint8Array[]) =>
  Buffer.from(await xof.deriveSeed(key, dst(usage), Buffer.concat(parts)));
const expand = (key: Uint8Array, usage: number, binder: Uint8Array, length: number) =>
  xof.expandIntoVec(field, key, dst(usage), binder, length);

/** The hostile leader's forgery of `measurement` under `leaderPart` (taken from a signed public share). */
async function forge(
  verifyKey: Uint8Array,
  nonce: Uint8Array,
  leaderPart: Uint8Array,
  measurement: number[],
) {
  const [wm, wp, blind] = [seed(), seed(), seed()];
  const helperMeas = await expand(wm, Usage.measurementShare, Buffer.of(1), flp.measurementLen);
  const helperProof = await expand(
    wp,
    Usage.proofShare,
    Buffer.of(proofs, 1),
    flp.proofLen * proofs,
  );
  const helperPart = await derive(blind, Usage.jointRandPart, [
    Buffer.of(1),
    nonce,
    field.encode(helperMeas),
  ]);
  const jointSeed = await derive(new Uint8Array(xof.seedSize), Usage.jointRandSeed, [
    leaderPart,
    helperPart,
  ]);
  const jointRands = await expand(
    jointSeed,
    Usage.jointRandomness,
    Buffer.of(proofs),
    flp.jointRandLen * proofs,
  );
  const proveRands = await expand(
    seed(),
    Usage.proveRandomness,
    Buffer.of(proofs),
    flp.proveRandLen * proofs,
  );
  const encoded = flp.encode(measurement);
  const proof = Array.from({ length: proofs }, (_, i) =>
    flp.prove(
      encoded,
      chunk(proveRands, flp.proveRandLen, i),
      chunk(jointRands, flp.jointRandLen, i),
    ),
  ).flat();
  const leaderMeas = field.vecSub(encoded, helperMeas);
  const leaderProof = field.vecSub(proof, helperProof);
  const queryRands = await expand(
    verifyKey,
    Usage.queryRandomness,
    Buffer.concat([Buffer.of(proofs), nonce]),
    flp.queryRandLen * proofs,
  );
  const verifiersShare = Array.from({ length: proofs }, (_, i) =>
    flp.query(
      leaderMeas,
      chunk(leaderProof, flp.proofLen, i),
      chunk(queryRands, flp.queryRandLen, i),
      chunk(jointRands, flp.jointRandLen, i),
      2,
    ),
  ).flat();
  return {
    helperPart,
    helperPayload: Buffer.concat([wm, wp, blind]),
    leaderOutput: flp.truncate(leaderMeas),
    initialize: {
      type: 'initialize' as const,
      prepShare: vdaf.encodePreparationShare({
        verifiersShare,
        jointRandomnessPart: Buffer.from(leaderPart),
      }),
    },
  };
}

describe("an aggregator's own share must be the one the public share commits to", () => {
  it("the helper refuses a hostile leader's fresh sharing under a member's signed report id and public share", async () => {
    const verifyKey = seed();
    const nonce = new Uint8Array(randomBytes(16));
    const genuine = await vdaf.shard(
      [1, 3, 20, 0, 0, 0],
      Buffer.from(nonce),
      Buffer.from(randomBytes(vdaf.randSize)),
    );
    const signedPublicShare = new Uint8Array(vdaf.encodePublicShare(genuine.publicShare));
    const leaderPart = signedPublicShare.subarray(0, xof.seedSize);
    const chosen = [1, 50, 240, 1, 50, 240];
    const forged = await forge(verifyKey, nonce, leaderPart, chosen);

    // The forgery is a valid sharing: with its own helper part in the public share, it verifies
    // and the two output shares sum to the leader's chosen measurement.
    const own = Buffer.concat([leaderPart, forged.helperPart]);
    const accepted = await helperInit(
      vdaf,
      verifyKey,
      { reportId: nonce, publicShare: own, inputShare: forged.helperPayload },
      forged.initialize,
    );
    const sum = forged.leaderOutput.map((x, i) => field.add(x, accepted.outputShare[i]!));
    expect(sum).toEqual(chosen.map(BigInt));

    // Under the public share the member signed, the helper's own part does not match: refused.
    const refused = helperInit(
      vdaf,
      verifyKey,
      { reportId: nonce, publicShare: signedPublicShare, inputShare: forged.helperPayload },
      forged.initialize,
    );
    await expect(refused).rejects.toBeInstanceOf(PrepareFailure);
    await expect(refused).rejects.toMatchObject({ code: 'vdaf_prep_error' });
  });
});
