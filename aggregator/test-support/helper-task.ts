/**
 * A helper task for tests over HTTP: a random task id and verify key, one collector keypair, day
 * batches, minimum batch size 3, and a leader URL nothing listens on.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { randomBytes } from 'node:crypto';
import { generateHpkeKeypair, type HpkeKeypair } from '../dap/hpke.ts';
import type { HelperTaskDefinition } from '../helper/task-definition.ts';

export async function newHelperTask(
  vdaf: Prio3SumVec,
  token: string,
): Promise<{ task: HelperTaskDefinition; collectorKeys: HpkeKeypair[] }> {
  const collectorKeys = [await generateHpkeKeypair(7)];
  const task: HelperTaskDefinition = {
    taskId: new Uint8Array(randomBytes(32)),
    leaderUrl: 'http://127.0.0.1:1/',
    vdaf,
    verifyKey: new Uint8Array(randomBytes(16)),
    timePrecisionSeconds: 86_400,
    tolerableClockSkewSeconds: 60,
    minBatchSize: 3,
    aggregatorAuthToken: token,
    collectorHpkeConfig: collectorKeys[0]!.config,
    centralEpsilon: null,
    clipBounds: null,
    memberSignatures: null,
  };
  return { task, collectorKeys };
}
