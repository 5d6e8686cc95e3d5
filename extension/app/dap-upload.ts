/**
 * The service worker's DAP report builder for the outbox: shards through `deps.dapCrypto` (the
 * Prio3 code, loaded only when a report is built — `dap/dap-crypto.ts` says where), signs the
 * upload with the member key inside the vault — the key never leaves it; only the EIP-712
 * signature goes into the shares — then has both shares sealed. When the signed config does not
 * pin the leader's HPKE config, the leader's list is fetched here, through the logged network.
 */
import { getBytes, hexlify } from 'ethers';

import type { DapCrypto } from '../dap/dap-crypto.ts';
import { leaderBase } from '../dap/upload-url.ts';
import type { DapBuilder } from '../outbox/outbox.ts';
import { base64UrlBytes, toBase64Url } from '../protocol/config-aggregation.ts';
import {
  encodeMemberSignature,
  MEMBER_SIGNATURE_EXTENSION,
  signDapUpload,
} from '../protocol/dap-upload-signature.ts';
import { CrowdsellError } from '../protocol/errors.ts';
import type { DapReportPart, DapTaskSnapshot } from '../storage/schema.ts';
import { domainOf } from './app-deps.ts';
import type { Ctx } from './context.ts';
import { send, unionFetch } from './union-api.ts';

const HPKE_CONFIG_LIST = 'application/dap-hpke-config-list';

async function leaderConfigList(ctx: Ctx, task: DapTaskSnapshot): Promise<string | undefined> {
  if (task.leaderHpkeConfig !== undefined) return undefined;
  const url = `${leaderBase(task)}/hpke_config?task_id=${task.taskId}`;
  const response = await send(unionFetch(ctx), url, { headers: { accept: HPKE_CONFIG_LIST } });
  if (!response.ok) {
    throw new CrowdsellError(
      'DAP_LEADER_CONFIG',
      `The leader answered ${response.status} when asked for its HPKE config.`,
    );
  }
  return toBase64Url(new Uint8Array(await response.arrayBuffer()));
}

export function dapBuilder(ctx: Ctx): DapBuilder {
  return async (record, dap) => {
    const { dapCrypto } = ctx.deps;
    try {
      return await build(ctx, dapCrypto, record.epochStart, dap);
    } finally {
      await dapCrypto.done?.().catch(() => undefined);
    }
  };
}

async function build(
  ctx: Ctx,
  dapCrypto: DapCrypto,
  epochStart: number,
  dap: DapReportPart,
): Promise<{ bytes: Uint8Array; reportId: Uint8Array }> {
  const { task } = dap;
  const taskId = base64UrlBytes(task.taskId);
  if (taskId === null) throw new RangeError('The stored task id is not base64url.');
  const leaderHpkeConfigList = await leaderConfigList(ctx, task);
  const sharded = await dapCrypto.shard({
    task,
    measurement: dap.measurement,
    time: epochStart,
  });
  const signed = await signDapUpload(ctx.vault, domainOf(ctx.deps.settings), {
    member: ctx.state.address,
    taskId,
    reportId: getBytes(sharded.reportId),
    epochStart: sharded.time,
    publicShare: getBytes(sharded.publicShare),
  });
  const sealed = await dapCrypto.seal({
    task,
    ...(leaderHpkeConfigList === undefined ? {} : { leaderHpkeConfigList }),
    sharded,
    extensions: [
      { type: MEMBER_SIGNATURE_EXTENSION, data: hexlify(encodeMemberSignature(signed)) },
    ],
  });
  return { bytes: getBytes(sealed.bytes), reportId: getBytes(sharded.reportId) };
}
