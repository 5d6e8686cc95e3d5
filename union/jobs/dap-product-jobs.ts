/**
 * The DAP side of the product job, wired from the union's options: the collector's secrets
 * (COLLECTOR_SECRETS_FILE), the poll back-off, the activity batch. Both passes do nothing while no
 * config carries an aggregation block, so a union in the plain mode runs exactly as before.
 */
import type { ResolvedOptions } from '../config/options.ts';
import type { Db } from '../db/db.ts';
import { collectorFrom } from '../collector/collector-secrets.ts';
import type { DapProductJobs } from '../services/product-service.ts';
import { dapActivity } from './dap-activity.ts';
import { dapCollection } from './dap-collection.ts';

export function dapProductJobs(
  db: Db,
  options: ResolvedOptions,
  log: (message: string) => void,
): DapProductJobs {
  const collector = options.collector ? collectorFrom(options.collector) : null;
  const fetchFn: typeof fetch = (input, init) => fetch(input, init);
  const collection = dapCollection({
    db,
    collector,
    fetch: fetchFn,
    pollSeconds: options.collectionPollSeconds,
    maxPollSeconds: options.collectionMaxPollSeconds,
    log,
  });
  return {
    collect: (nowMs, configs, cutoff) => collection.collect(nowMs, configs, cutoff),
    recordActivity: dapActivity({
      db,
      collector,
      fetch: fetchFn,
      activityBatchSeconds: options.activityBatchSeconds,
      log,
    }),
  };
}
