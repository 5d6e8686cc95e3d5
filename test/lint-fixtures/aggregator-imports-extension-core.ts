// lint-as: aggregator/helper/helper-imports-extension-core.ts
import { categoryTask } from '../../extension/protocol/dap-task.ts';
import { reportCounts } from '../../extension/aggregator/report-counts.ts';

export const allowed = categoryTask;
export const forbidden = reportCounts;
