/**
 * The task a helper runs, as the helper's operator provisions it. Today it comes from a JSON task
 * file (`HELPER_TASK_FILE`); later from the admin-signed union config. Either source must produce
 * this one `HelperTaskDefinition`: the server below it never reads a file or a config. The fields
 * both roles share, and the errors, are `../task/task-file.ts`.
 *
 * Task file (binary values as unpadded base64url):
 *   { "taskId": "<32 bytes>", "leaderUrl": "https://…/", "verifyKey": "<16 bytes>",
 *     "vdaf": { "length": 60, "bits": 8, "chunkLength": 22 },
 *     "timePrecisionSeconds": 86400, "tolerableClockSkewSeconds": 60, "minBatchSize": 100,
 *     "aggregatorAuthToken": "<secret shared with the leader>",
 *     "collectorHpkeConfig": "<the collector's HpkeConfig, DAP encoding>",
 *     "centralEpsilon": 2,   (optional: null or absent, no central noise)
 *     "clipBounds": { "visits": 50, "activeMinutes": 240 } }   (required with centralEpsilon)
 */
import { z } from 'zod';
import {
  parseTaskFile,
  readTaskJson,
  sharedTaskFields,
  type SharedTaskDefinition,
} from '../task/task-file.ts';

export { TaskFileError } from '../task/task-file.ts';

export interface HelperTaskDefinition extends SharedTaskDefinition {
  readonly leaderUrl: string;
}

const helperTaskSchema = z.strictObject({
  ...sharedTaskFields,
  leaderUrl: z.url({ protocol: /^https?$/ }),
});

export function parseHelperTask(json: unknown): HelperTaskDefinition {
  const { shared, fields } = parseTaskFile('helper', helperTaskSchema, json);
  return { ...shared, leaderUrl: fields.leaderUrl };
}

export function readHelperTaskFile(file: string): HelperTaskDefinition {
  return parseHelperTask(readTaskJson('helper', file));
}
