/**
 * `GET /hpke_config[?task_id=…]` (DAP-09 §4.4.1), served by the leader and the helper alike: the
 * aggregator's current HPKE configs as an `HpkeConfigList`. A task id that is not this
 * aggregator's task is `unrecognizedTask`.
 */
import type { FastifyInstance } from 'fastify';
import { Buffer } from 'node:buffer';
import { encode } from './codec.ts';
import type { HpkeKeypair } from './hpke.ts';
import { sendProblem } from './problem.ts';
import { taskIdToString } from './task-id.ts';
import { hpkeConfigListCodec, MEDIA_TYPES } from './upload.ts';

export interface HpkeConfigRouteOptions {
  readonly taskId: Uint8Array;
  /** The keys clients may encrypt to now, newest first; read per request so rotation needs no restart. */
  readonly keypairs: () => readonly HpkeKeypair[];
}

export function hpkeConfigRoute(app: FastifyInstance, options: HpkeConfigRouteOptions): void {
  const ourTask = taskIdToString(options.taskId);
  app.get<{ Querystring: { task_id?: string } }>('/hpke_config', async (request, reply) => {
    const asked = request.query.task_id;
    if (asked !== undefined && asked !== ourTask) {
      return sendProblem(
        reply,
        'unrecognizedTask',
        `This aggregator does not run task ${asked}.`,
        asked,
      );
    }
    const list = encode(
      hpkeConfigListCodec,
      options.keypairs().map((k) => k.config),
    );
    return reply
      .type(MEDIA_TYPES.hpkeConfigList)
      .header('cache-control', 'max-age=86400')
      .send(Buffer.from(list));
  });
}
