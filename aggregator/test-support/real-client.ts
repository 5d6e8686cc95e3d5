/**
 * Drives the real `@divviup/dap` 0.9.1 client in-process: its fetch is answered here, serving our
 * HPKE config lists and capturing each `PUT /tasks/{id}/reports` body, so tests and the benchmark
 * check our aggregator against the bytes a real DAP-09 client produces.
 */
import { Task, type KnownVdafSpec } from '@divviup/dap';
import { Buffer } from 'node:buffer';
import { encode } from '../dap/codec.ts';
import type { HpkeKeypair } from '../dap/hpke.ts';
import { hpkeConfigListCodec, MEDIA_TYPES } from '../dap/upload.ts';

export interface ClientUpload {
  readonly url: string;
  readonly body: Uint8Array;
}

export interface RealClientRun {
  readonly taskId: Uint8Array;
  readonly leaderKeys: readonly Pick<HpkeKeypair, 'config'>[];
  /** Only the public configs are served to the client (a helper process keeps its private key). */
  readonly helperKeys: readonly Pick<HpkeKeypair, 'config'>[];
  readonly vdaf: Extract<KnownVdafSpec, { type: 'sumVec' }>;
  readonly timePrecisionSeconds: number;
  readonly measurements: readonly number[][];
  readonly at: Date;
}

const LEADER = 'https://leader.test/';
const HELPER = 'https://helper.test/';

export async function uploadWithRealClient(run: RealClientRun): Promise<ClientUpload[]> {
  const uploads: ClientUpload[] = [];
  const task = new Task({
    ...run.vdaf,
    id: Buffer.from(run.taskId),
    leader: LEADER,
    helper: HELPER,
    timePrecisionSeconds: run.timePrecisionSeconds,
  });
  task.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (url.includes('/hpke_config?')) {
      const keys = url.startsWith(LEADER) ? run.leaderKeys : run.helperKeys;
      const list = encode(
        hpkeConfigListCodec,
        keys.map((k) => k.config),
      );
      return new Response(Buffer.from(list), {
        headers: { 'content-type': MEDIA_TYPES.hpkeConfigList },
      });
    }
    const body = init?.body;
    if (!(body instanceof Uint8Array)) throw new Error(`unexpected request to ${url}`);
    uploads.push({ url, body: new Uint8Array(body) });
    return Promise.resolve(new Response(null, { status: 200 }));
  };
  for (const measurement of run.measurements) {
    await task.sendMeasurement(measurement, { timestamp: run.at });
  }
  return uploads;
}
