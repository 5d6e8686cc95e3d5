/** One report exactly as sent: decoded fields, the raw body, when, and the union's answer. */
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { formatDateTime, formatEpoch, prettyJson } from '../lib/format.ts';
import { t, type MessageKey } from '../lib/i18n.ts';
import { decodeSentBody } from '../lib/sent-body.ts';

type Entry = ResultOf<'sentLog'>['entries'][number];

const outcomeKey: Record<Entry['outcome'], MessageKey> = {
  stored: 'sentOutcomeStored',
  conflict: 'sentOutcomeConflict',
  rejected: 'sentOutcomeRejected',
  withheld: 'sentOutcomeWithheld',
};

export function SentEntry({ entry, labels }: { entry: Entry; labels: Map<number, string> }) {
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
      {decoded && (
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
            {decoded.report.counts.map((count) => (
              <tr key={count.category}>
                <td>{labels.get(count.category) ?? `#${count.category}`}</td>
                <td>{count.visits}</td>
                <td>{count.activeSeconds}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {decoded && (
        <p class="small muted">{t('sentConfigVersion', String(decoded.report.configVersion))}</p>
      )}
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
