/**
 * One report exactly as sent: decoded fields, the raw body, when, and the union's answer; or one
 * the member withheld.
 */
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { formatDateTime, formatEpoch, prettyJson } from '../lib/format.ts';
import { t, type MessageKey } from '../lib/i18n.ts';
import { decodeSentBody } from '../lib/sent-body.ts';
import { DapReportDetails } from './dap-report.tsx';
import { ReportCounts } from './report-counts.tsx';

type Entry = ResultOf<'sentLog'>['entries'][number];
type DapReport = NonNullable<Entry['dap']>;

const outcomeKey: Record<Entry['outcome'], MessageKey> = {
  stored: 'sentOutcomeStored',
  conflict: 'sentOutcomeConflict',
  rejected: 'sentOutcomeRejected',
  withheld: 'sentOutcomeWithheld',
};

/** A report the member withheld: nothing was sent, so there is no body and no answer. */
function WithheldEntry({ entry, epochSeconds }: { entry: Entry; epochSeconds: number }) {
  return (
    <li class="card" data-testid="sent-entry">
      <h3>{formatEpoch(entry.epochStart, epochSeconds)}</h3>
      <p class="small">
        {t('sentWithheldAt', formatDateTime(entry.answeredAt))} ·{' '}
        <span class="outcome withheld">{t('sentOutcomeWithheld')}</span>
      </p>
    </li>
  );
}

interface Props {
  entry: Entry;
  labels: Map<number, string>;
  epochSeconds: number;
}

/** A DAP report: the measurement, who reads what, the exact bytes, the leader's answer. */
function DapEntry({ entry, labels, epochSeconds }: Props & { entry: { dap: DapReport } }) {
  return (
    <li class="card" data-testid="sent-entry">
      <h3>{formatEpoch(entry.epochStart, epochSeconds)}</h3>
      <p class="small">
        {t('sentAt', formatDateTime(entry.answeredAt))} ·{' '}
        <span class={`outcome ${entry.outcome}`}>{t(outcomeKey[entry.outcome])}</span>
      </p>
      <DapReportDetails dap={entry.dap} labels={labels} />
      <details>
        <summary>
          {t('dapLeaderAnswer', entry.answer.status === null ? '—' : String(entry.answer.status))}
        </summary>
        <pre class="raw">{prettyJson(entry.answer.body)}</pre>
      </details>
    </li>
  );
}

export function SentEntry({ entry, labels, epochSeconds }: Props) {
  if (entry.outcome === 'withheld')
    return <WithheldEntry entry={entry} epochSeconds={epochSeconds} />;
  if (entry.dap) {
    return (
      <DapEntry entry={{ ...entry, dap: entry.dap }} labels={labels} epochSeconds={epochSeconds} />
    );
  }
  const decoded = decodeSentBody(entry.body);
  return (
    <li class="card" data-testid="sent-entry">
      <h3>
        {decoded
          ? formatEpoch(decoded.report.epochStart, decoded.report.epochSeconds)
          : t('sentEpochUnknown')}
      </h3>
      <p class="small">
        {t('sentAt', formatDateTime(entry.answeredAt))} ·{' '}
        <span class={`outcome ${entry.outcome}`}>{t(outcomeKey[entry.outcome])}</span>
      </p>
      {decoded && <ReportCounts report={decoded.report} labels={labels} />}
      <details>
        <summary>{t('sentRaw')}</summary>
        <pre class="raw" data-testid="sent-raw">
          {entry.body}
        </pre>
      </details>
      <details>
        <summary>
          {t('sentAnswer', entry.answer.status === null ? '—' : String(entry.answer.status))}
        </summary>
        <pre class="raw">{prettyJson(entry.answer.body)}</pre>
      </details>
    </li>
  );
}
