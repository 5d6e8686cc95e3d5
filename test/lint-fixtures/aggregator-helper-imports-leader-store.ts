// lint-as: aggregator/helper/helper-imports-leader-store.ts
import { memoryReportStore } from '../leader/report-store.ts';
import { taskIdToString } from '../dap/task-id.ts';

export const forbidden = memoryReportStore;
export const allowed = taskIdToString;
