/** The own validator's checkpoint as plain values (its header and every replayed member), to compare in tests. */
import { checkpointHeader, type ValidatorCheckpoint } from '../chain/validator-checkpoint.ts';

export function checkpointValues(checkpoint: ValidatorCheckpoint | null | undefined) {
  return (
    checkpoint && {
      ...checkpointHeader(checkpoint),
      members: checkpoint.accounting.toJSON().members,
    }
  );
}
