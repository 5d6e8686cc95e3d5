/**
 * Canonical JSON of a `Report` (sorted keys, no whitespace) without the generic encoder's
 * recursion and sorting — it runs once per ingested report. A test checks it equals
 * `canonicalJson(report)` for random reports.
 */
import type { Report } from '../../extension/protocol/wire.ts';

export function canonicalReportJson(report: Report): string {
  let counts = '';
  for (let i = 0; i < report.counts.length; i++) {
    const c = report.counts[i]!;
    counts += `${i === 0 ? '' : ','}{"activeSeconds":${c.activeSeconds},"category":${c.category},"visits":${c.visits}}`;
  }
  return (
    `{"configVersion":${report.configVersion},"counts":[${counts}],` +
    `"epochSeconds":${report.epochSeconds},"epochStart":${report.epochStart},` +
    `"member":${JSON.stringify(report.member)}}`
  );
}
