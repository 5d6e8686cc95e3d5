/**
 * Where a member's DAP report goes (DAP-09 §4.4.2): `PUT {leader}/tasks/{task id}/reports` with
 * the `application/dap-report` body. Small on purpose: the outbox needs it at every send, without
 * loading the Prio3 chunk.
 */
import type { DapTaskSnapshot } from '../storage/schema.ts';

export const DAP_REPORT_MEDIA_TYPE = 'application/dap-report';

/** `{leaderUrl}` without its trailing slash: routes are appended to it. */
export function leaderBase(task: Pick<DapTaskSnapshot, 'leaderUrl'>): string {
  return task.leaderUrl.replace(/\/+$/, '');
}

export function dapUploadUrl(task: Pick<DapTaskSnapshot, 'leaderUrl' | 'taskId'>): string {
  return `${leaderBase(task)}/tasks/${task.taskId}/reports`;
}
