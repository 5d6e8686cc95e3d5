/**
 * The Prio3 task the union's categories define. The shape and the measurement are the shared
 * rules in `extension/protocol/dap-task.ts` (one source of truth with the extension and the
 * config checks); what lives here is the VDAF instance, which needs the Prio3 library.
 */
import { Prio3SumVec } from '@divviup/prio3';
import type { CategoryTask } from '../../extension/protocol/dap-task.ts';

export {
  categoryTask,
  measurementFor,
  type CategoryTask,
} from '../../extension/protocol/dap-task.ts';

/** The Prio3 instance both aggregators and the client use: two shares (leader and helper). */
export function sumVecFor(task: CategoryTask): Prio3SumVec {
  return new Prio3SumVec({ shares: 2, ...task.vdaf });
}
