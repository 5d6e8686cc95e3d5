/**
 * Payouts under DAP (issue 17): a member's activity comes from the contributions that passed
 * preparation on both aggregators — the leader's `memberContributions`, read over its
 * authenticated route (`GET /internal/tasks/{task}/contributions`, the collector token;
 * docs/decisions.md, "The union reads contributions from the leader over HTTP"). Each new
 * (member, epoch) is recorded once (primary key) and makes its member active from the end of
 * the current activity batch, exactly as an accepted plain report did (union/domain/activity-batch.ts),
 * so the money loop (revenue watcher, committer, withdrawals) runs unchanged.
 *
 * What is read: for each task a config names, every page of contributions of epochs from the
 * task's cursor on. The cursor moves past an epoch only once its collection has ended (its batch
 * takes no more reports, so its contributions are final) — computed before the read, so an
 * epoch collected while the pages are read is read again next time. Rows are recorded page by
 * page; a crash re-reads and records nothing twice.
 */
import type { UnionConfig } from '../../extension/protocol/config.ts';
import type { Db } from '../db/db.ts';
import { activityBatchEnd } from '../domain/activity-batch.ts';
import type { Collector } from '../collector/collector-secrets.ts';
import { contributionsPage, LeaderUnavailable } from '../collector/leader-client.ts';
import { dapRepo } from '../repo/dap-repo.ts';

export interface DapActivityOptions {
  readonly db: Db;
  readonly collector: Collector | null;
  readonly fetch: typeof fetch;
  readonly activityBatchSeconds: number;
  /** A leader that cannot be reached now (read again next pass). */
  readonly log: (message: string) => void;
}

/** Each task the configs name, with the leader that runs it (the newest config's URL). */
function tasksOf(configs: readonly UnionConfig[]): Map<string, string> {
  const tasks = new Map<string, string>();
  for (const c of [...configs].sort((a, b) => a.version - b.version)) {
    if (c.aggregation) tasks.set(c.aggregation.taskId, c.aggregation.leaderUrl);
  }
  return tasks;
}

export function dapActivity(options: DapActivityOptions) {
  const { db } = options;
  return async function recordActivity(nowMs: number, configs: readonly UnionConfig[]) {
    const tasks = tasksOf(configs);
    if (tasks.size === 0 || options.collector === null) return;
    const token = options.collector.token;
    const activeFrom = new Date(activityBatchEnd(nowMs, options.activityBatchSeconds));
    for (const [taskId, leaderUrl] of tasks) {
      const target = { url: leaderUrl, taskId, token, fetch: options.fetch };
      const from = await dapRepo.contributionCursor(db, taskId);
      const doneBefore = await dapRepo.collectedBefore(db, taskId);
      let after: string | null = null;
      try {
        do {
          const page = await contributionsPage(target, {
            from,
            to: Number.MAX_SAFE_INTEGER,
            after,
          });
          const rows = page.contributions.map((c) => ({ member: c.member, epoch: c.epoch }));
          await dapRepo.recordContributions(db, taskId, rows, new Date(nowMs), activeFrom);
          after = page.next;
        } while (after !== null);
      } catch (error) {
        if (!(error instanceof LeaderUnavailable)) throw error;
        options.log(`contributions of task ${taskId}: ${error.message} Read again next pass.`);
        continue;
      }
      if (doneBefore !== null) await dapRepo.setContributionCursor(db, taskId, doneBefore);
    }
  };
}
