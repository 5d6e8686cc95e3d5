/**
 * The DAP half of an epoch close (docs/private-aggregation.md): under a config with an aggregation
 * block the epoch's report is a DAP measurement for every category of the task — zeros for the
 * categories the member has off — with local noise only if the block asks for it. Pure: the
 * upload itself is built later, once, at the first send (`outbox.ts`, `dap-report.ts`).
 */
import { categoryTask } from '../protocol/dap-task.ts';
import type { UnionConfig } from '../protocol/config.ts';
import { localNoiseApplies } from '../protocol/privacy-budget.ts';
import type { DapReportPart, EpochRecord } from '../storage/schema.ts';
import { epochMeasurement, withLocalNoise } from './measurement.ts';

export interface DapPartOptions {
  /** false only when a test build's hook switched noise off. */
  readonly noise: boolean;
  readonly random: () => number;
}

/** The report part for `record` under `config` (which must carry an aggregation block). */
export function dapReportPart(
  config: UnionConfig,
  record: EpochRecord | undefined,
  enabledCategories: readonly number[],
  options: DapPartOptions,
): DapReportPart {
  const block = config.aggregation;
  if (!block) throw new RangeError('A DAP report needs a config with an aggregation block.');
  const task = categoryTask(config);
  const exact = epochMeasurement(task, record, enabledCategories);
  const localNoise = localNoiseApplies(config) && options.noise;
  const measurement = localNoise
    ? withLocalNoise(task, exact, { epsilon: config.privacy.epsilon, random: options.random })
    : exact;
  const { taskId, leaderUrl, helperHpkeConfig, leaderHpkeConfig, vdaf, timePrecisionSeconds } =
    block;
  return {
    task: {
      taskId,
      leaderUrl,
      helperHpkeConfig,
      ...(leaderHpkeConfig === undefined ? {} : { leaderHpkeConfig }),
      vdaf,
      timePrecisionSeconds,
    },
    categoryIds: [...task.categoryIds],
    measurement,
    localNoise,
    bytes: null,
    reportId: null,
  };
}
