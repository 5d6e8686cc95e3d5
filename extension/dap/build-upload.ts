/**
 * The Prio3 and HPKE steps of a member's DAP upload (`dap-crypto.ts` says where they run), through
 * the report builder the aggregators' tests check against the real `@divviup/dap` client
 * (`aggregator/client/member-report.ts`). Every import here is bundle-safe (WebCrypto, `buffer`,
 * pure codecs); only the report worker (`background/dap-offscreen/dap-worker.ts`) and Node tests
 * load it, so the service worker's start never does.
 *
 * HPKE configs: the helper's is pinned in the signed config (required), the leader's too when the
 * admin put it there. Without it the worker fetches the leader's `HpkeConfigList` and passes it
 * here — the leader is the union, whose own share it is, so an unsigned leader key exposes nothing
 * the leader could not read anyway; the helper's key is never taken from the network.
 */
import { Prio3SumVec } from '@divviup/prio3';
import { getBytes, hexlify } from 'ethers';

import { sealReport, shardMeasurement } from '../../aggregator/client/member-report.ts';
import { decode } from '../../aggregator/dap/codec.ts';
import {
  hpkeConfigCodec,
  hpkeConfigListCodec,
  type HpkeConfig,
} from '../../aggregator/dap/upload.ts';
import { base64UrlBytes } from '../protocol/config-aggregation.ts';
import { CrowdsellError } from '../protocol/errors.ts';
import type { SealRequest, ShardRequest } from './dap-crypto-requests.ts';
import type { SealedWire, ShardedWire } from './dap-crypto.ts';

function bytesOf(encoded: string, what: string): Uint8Array {
  const bytes = base64UrlBytes(encoded);
  if (bytes === null)
    throw new CrowdsellError('DAP_TASK_MALFORMED', `The ${what} is not base64url.`);
  return bytes;
}

function leaderConfig(request: SealRequest): HpkeConfig {
  const pinned = request.task.leaderHpkeConfig;
  if (pinned !== undefined) {
    return decode(hpkeConfigCodec, bytesOf(pinned, 'leader HPKE config'), 'HPKE config');
  }
  if (request.leaderHpkeConfigList === undefined) {
    throw new CrowdsellError('DAP_LEADER_CONFIG', 'The leader’s HPKE config is unknown.');
  }
  const list = decode(
    hpkeConfigListCodec,
    bytesOf(request.leaderHpkeConfigList, 'leader HPKE config list'),
    'HPKE config list',
  );
  const [first] = list;
  if (first === undefined) {
    throw new CrowdsellError('DAP_LEADER_CONFIG', 'The leader published no HPKE config.');
  }
  return first;
}

function vdafOf(task: ShardRequest['task']): Prio3SumVec {
  const { length, bits, chunkLength } = task.vdaf;
  return new Prio3SumVec({ shares: 2, length, bits, chunkLength });
}

/** Prio3SumVec sharding of one measurement, with a fresh report id. */
export async function shardForUpload(request: ShardRequest): Promise<ShardedWire> {
  const sharded = await shardMeasurement(
    { vdaf: vdafOf(request.task), timePrecisionSeconds: request.task.timePrecisionSeconds },
    request.measurement,
    request.time,
  );
  return {
    reportId: hexlify(sharded.metadata.reportId),
    time: sharded.metadata.time,
    publicShare: hexlify(sharded.publicShare),
    leaderShare: hexlify(sharded.leaderShare),
    helperShare: hexlify(sharded.helperShare),
  };
}

/** Seals both shares, each carrying `extensions`: the `application/dap-report` body. */
export async function sealUpload(request: SealRequest): Promise<SealedWire> {
  const task = {
    taskId: bytesOf(request.task.taskId, 'task id'),
    leaderHpkeConfig: leaderConfig(request),
    helperHpkeConfig: decode(
      hpkeConfigCodec,
      bytesOf(request.task.helperHpkeConfig, 'helper HPKE config'),
      'HPKE config',
    ),
  };
  const { sharded } = request;
  const built = await sealReport(
    task,
    {
      metadata: { reportId: getBytes(sharded.reportId), time: sharded.time },
      publicShare: getBytes(sharded.publicShare),
      leaderShare: getBytes(sharded.leaderShare),
      helperShare: getBytes(sharded.helperShare),
    },
    request.extensions.map((e) => ({ type: e.type, data: getBytes(e.data) })),
  );
  return { bytes: hexlify(built.bytes) };
}
