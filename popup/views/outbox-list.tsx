/**
 * Reports waiting to be sent, readable before they leave: the counts, the exact text, when it
 * goes (a random time, or the next retry) and, until its first attempt, "Withhold this report".
 */
import { call } from '../client.ts';
import { ConfirmAction } from '../components/confirm-action.tsx';
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { formatDateTime, formatEpoch } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { decodeSentBody } from '../lib/sent-body.ts';
import { DapReportDetails } from './dap-report.tsx';
import { ReportCounts } from './report-counts.tsx';

type Item = ResultOf<'outboxStatus'>['pending'][number];

interface Props {
  items: Item[];
  epochSeconds: number;
  labels: Map<number, string>;
  onChange: () => void;
}

function WaitingReport({
  item,
  epochSeconds,
  labels,
  onChange,
}: Omit<Props, 'items'> & { item: Item }) {
  const decoded = decodeSentBody(item.body);
  const id = `withhold-${item.epochStart}`;
  return (
    <li class="card" data-testid="outbox-item">
      <p>
        <strong>{formatEpoch(item.epochStart, epochSeconds)}</strong>
      </p>
      <p class="small">
        {item.attempts === 0
          ? t('outboxSendsAt', formatDateTime(item.nextAttemptAt))
          : t('outboxNextAttempt', formatDateTime(item.nextAttemptAt), String(item.attempts))}
      </p>
      {item.lastError && <p class="small muted">{item.lastError.message}</p>}
      {item.dap ? (
        <DapReportDetails dap={item.dap} labels={labels} />
      ) : (
        <>
          {decoded && <ReportCounts report={decoded.report} labels={labels} />}
          <details>
            <summary>{t('sentRaw')}</summary>
            <pre class="raw">{item.body}</pre>
          </details>
        </>
      )}
      {item.attempts === 0 && (
        <ConfirmAction
          id={id}
          title={t('withholdTitle')}
          buttonLabel={t('withholdButton')}
          confirmLabel={t('withholdConfirm')}
          explanation={<p>{t('withholdExplanation')}</p>}
          action={() => call('withholdReport', { epochStart: item.epochStart })}
          onDone={onChange}
        />
      )}
    </li>
  );
}

export function OutboxList({ items, ...rest }: Props) {
  if (items.length === 0) return null;
  return (
    <>
      <h3>{t('outboxTitle')}</h3>
      <p class="small muted">{t('outboxIntro')}</p>
      <ul class="plain">
        {items.map((item) => (
          <WaitingReport key={item.epochStart} item={item} {...rest} />
        ))}
      </ul>
    </>
  );
}
