/**
 * Appending to the hash-chained membership log (DESIGN §5). The entry format, its hash and the
 * chain check are in extension/protocol/membership-log.ts (shared with validators and the DAP
 * aggregators, which read the log to check a report's signer was a member); re-exported here.
 */
import {
  hashLogEntry,
  type LogEntry,
  type LogHead,
  type LogType,
} from '../../extension/protocol/membership-log.ts';

export {
  GENESIS_HASH,
  hashLogEntry,
  verifyLogChain,
  type LogEntry,
  type LogHead,
} from '../../extension/protocol/membership-log.ts';

export function nextLogEntry(
  head: LogHead,
  change: { at: Date; type: LogType; member: string },
): LogEntry {
  const body = {
    seq: head.seq + 1,
    at: change.at.toISOString(),
    type: change.type,
    member: change.member.toLowerCase(),
    prevHash: head.hash,
  };
  return { ...body, hash: hashLogEntry(body) };
}
