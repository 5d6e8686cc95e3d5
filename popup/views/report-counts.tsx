/** A report's readable content: its counts per category and the settings version it was made under. */
import type { SignedReport } from '../../extension/protocol/wire.ts';
import { t } from '../lib/i18n.ts';

export function ReportCounts({
  report,
  labels,
}: {
  report: SignedReport['report'];
  labels: Map<number, string>;
}) {
  return (
    <>
      <table class="counts">
        <caption class="visually-hidden">{t('sentCountsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sentCategory')}</th>
            <th scope="col">{t('sentVisits')}</th>
            <th scope="col">{t('sentActiveSeconds')}</th>
          </tr>
        </thead>
        <tbody>
          {report.counts.map((count) => (
            <tr key={count.category}>
              <td>{labels.get(count.category) ?? `#${count.category}`}</td>
              <td>{count.visits}</td>
              <td>{count.activeSeconds}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="small muted">{t('sentConfigVersion', String(report.configVersion))}</p>
    </>
  );
}
