/**
 * Builds one member's DAP upload: the Prio3SumVec sharding, the member signature and both HPKE
 * seals, through the report builder the aggregators' tests check against the real `@divviup/dap`
 * client (`aggregator/client/member-report.ts`). Every import here is bundle-safe (WebCrypto,
 * `buffer`, pure codecs); the service worker loads this module only when a report is built
 * (`import()` in `dap-report.ts`), so the Prio3 and HPKE code is a chunk of its own and the
 * worker's start does not pay for it.
 *
 * HPKE configs: the helper's is pinned in the signed config (required), the leader's too when the
 * admin put it there. Without it the leader's config is fetched from the leader — the leader is
 * the union, whose own share it is, so an unsigned leader key exposes nothing the leader could not
 * read anyway; the helper's key is never taken from the network.
 */
import { Prio3SumVec } from '@divviup/prio3';

import { buildMemberReport, type MemberSigner } from '../../aggregator/client/member-report.ts';
import { decode } from '../../aggregator/dap/codec.ts';
import {
  hpkeConfigCodec,
  hpkeConfigListCodec,
  MEDIA_TYPES,
  type HpkeConfig,
} from '../../aggregator/dap/upload.ts';
import { base64UrlBytes, type AggregationBlock } from '../protocol/config-aggregation.ts';
import type { UnionDomain } from '../protocol/eip712.ts';
import { CrowdsellError } from '../protocol/errors.ts';
import type { DapTaskSnapshot } from '../storage/schema.ts';
import { leaderBase } from './upload-url.ts';

export interface DapUploadInput {
  readonly task: DapTaskSnapshot;
  readonly measurement: readonly number[];
  /** The epoch start (s): the report's DAP time. */
  readonly time: number;
  readonly signedBy: MemberSigner;
  readonly domain: UnionDomain;
  /** The network, for the leader's HPKE config when the signed config does not pin it. */
  readonly fetch: typeof fetch;
  readonly randomBytes?: (length: number) => Uint8Array;
}

export interface BuiltUpload {
  readonly bytes: Uint8Array;
  readonly reportId: Uint8Array;
}

function pinnedConfig(encoded: string): HpkeConfig {
  const bytes = base64UrlBytes(encoded);
  if (bytes === null) throw new RangeError('A pinned HPKE config is not base64url.');
  return decode(hpkeConfigCodec, bytes, 'HPKE config');
}

async function leaderConfig(task: DapTaskSnapshot, fetcher: typeof fetch): Promise<HpkeConfig> {
  if (task.leaderHpkeConfig !== undefined) return pinnedConfig(task.leaderHpkeConfig);
  const url = `${leaderBase(task)}/hpke_config?task_id=${task.taskId}`;
  let response: Response;
  try {
    response = await fetcher(url, { headers: { accept: MEDIA_TYPES.hpkeConfigList } });
  } catch (error) {
    throw new CrowdsellError('DAP_LEADER_UNREACHABLE', 'The leader could not be reached.', {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new CrowdsellError(
      'DAP_LEADER_CONFIG',
      `The leader answered ${response.status} for its HPKE config.`,
    );
  }
  const list = decode(
    hpkeConfigListCodec,
    new Uint8Array(await response.arrayBuffer()),
    'HPKE config list',
  );
  const [first] = list;
  if (first === undefined) {
    throw new CrowdsellError('DAP_LEADER_CONFIG', 'The leader published no HPKE config.');
  }
  return first;
}

/** Shards, signs and seals one measurement: the `application/dap-report` body. */
export async function buildDapUpload(input: DapUploadInput): Promise<BuiltUpload> {
  const { task } = input;
  const taskId = base64UrlBytes(task.taskId);
  if (taskId === null) throw new RangeError('The task id is not base64url.');
  const built = await buildMemberReport(
    {
      taskId,
      vdaf: new Prio3SumVec({ shares: 2, ...pickVdaf(task.vdaf) }),
      timePrecisionSeconds: task.timePrecisionSeconds,
      leaderHpkeConfig: await leaderConfig(task, input.fetch),
      helperHpkeConfig: pinnedConfig(task.helperHpkeConfig),
      domain: input.domain,
    },
    {
      measurement: input.measurement,
      time: input.time,
      signedBy: input.signedBy,
      ...(input.randomBytes ? { randomBytes: input.randomBytes } : {}),
    },
  );
  return { bytes: built.bytes, reportId: built.report.metadata.reportId };
}

function pickVdaf(vdaf: AggregationBlock['vdaf']) {
  return { length: vdaf.length, bits: vdaf.bits, chunkLength: vdaf.chunkLength };
}
