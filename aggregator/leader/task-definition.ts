/**
 * The task the leader runs, as the union provisions it: from a JSON task file
 * (`LEADER_TASK_FILE`), or from the admin-signed union config (`run-leader.ts`, with
 * `leaderSecretFields` in its secrets file). The fields both roles share, and the errors, are
 * `../task/task-file.ts`; the leader adds the helper's URL, how old a report may be when an
 * aggregation job would take it, and the collector's token.
 *
 * Task file (binary values as unpadded base64url):
 *   { "taskId": "<32 bytes>", "helperUrl": "https://…/", "verifyKey": "<16 bytes>",
 *     "vdaf": { "length": 60, "bits": 8, "chunkLength": 22 },
 *     "timePrecisionSeconds": 86400, "tolerableClockSkewSeconds": 60, "minBatchSize": 100,
 *     "aggregatorAuthToken": "<secret shared with the helper>",
 *     "collectorHpkeConfig": "<the collector's HpkeConfig, DAP encoding>",
 *     "reportExpiryAgeSeconds": 1209600, "collectorAuthToken": "<secret shared with the collector>",
 *     "centralEpsilon": 1, "clipBounds": { "visits": 50, "activeMinutes": 240 } }
 *   (clipBounds: required with centralEpsilon, what devices clip to; see task-file.ts)
 */
import { z } from 'zod';
import {
  parseTaskFile,
  readTaskJson,
  sharedTaskFields,
  type SharedTaskDefinition,
} from '../task/task-file.ts';

/** Default report expiry age: 14 days (a week's acceptance window, and a week to aggregate). */
export const DEFAULT_REPORT_EXPIRY_AGE_SECONDS = 14 * 86_400;

export interface LeaderTaskDefinition extends SharedTaskDefinition {
  /** The helper's base URL, without a trailing slash. */
  readonly helperUrl: string;
  /** A report older than this (by its timestamp, at claim time) is dropped, never aggregated. */
  readonly reportExpiryAgeSeconds: number;
  /**
   * The collector's `DAP-Auth-Token` for the collection job endpoints; null (absent from the
   * file): every collection request is refused (`unauthorizedRequest`).
   */
  readonly collectorAuthToken: string | null;
}

/** The leader's own secrets beside the shared ones (task file, or the config's secrets file). */
export const leaderSecretFields = {
  reportExpiryAgeSeconds: z.number().int().positive().default(DEFAULT_REPORT_EXPIRY_AGE_SECONDS),
  collectorAuthToken: z.string().min(16, 'at least 16 characters').nullable().default(null),
};

const leaderTaskSchema = z.strictObject({
  ...sharedTaskFields,
  helperUrl: z.url({ protocol: /^https?$/ }),
  ...leaderSecretFields,
});

export function parseLeaderTask(json: unknown): LeaderTaskDefinition {
  const { shared, fields } = parseTaskFile('leader', leaderTaskSchema, json);
  return {
    ...shared,
    helperUrl: fields.helperUrl.replace(/\/+$/, ''),
    reportExpiryAgeSeconds: fields.reportExpiryAgeSeconds,
    collectorAuthToken: fields.collectorAuthToken,
  };
}

export function readLeaderTaskFile(file: string): LeaderTaskDefinition {
  return parseLeaderTask(readTaskJson('leader', file));
}
