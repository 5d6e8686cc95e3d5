/**
 * "What was sent": reports waiting for their send time (readable, and withholdable), every report
 * byte for byte, newest first, and every request made to the union.
 */
import { call } from '../client.ts';
import { AsyncView } from '../components/async-view.tsx';
import { t } from '../lib/i18n.ts';
import { useAsync } from '../lib/use-async.ts';
import { DapProtection } from './dap-protection.tsx';
import { OutboxList } from './outbox-list.tsx';
import { RequestLogList } from './request-log-list.tsx';
import { SentEntry } from './sent-entry.tsx';

const DAY_SECONDS = 86_400;

async function loadSent() {
  const [log, outbox, requests, categories, status] = await Promise.all([
    call('sentLog', {}),
    call('outboxStatus', {}),
    call('requestLog', {}),
    call('listCategories', {}),
    call('status', {}),
  ]);
  const labels = new Map(categories.categories.map((c) => [c.id, c.label]));
  const entries = [...log.entries].sort((a, b) => b.answeredAt - a.answeredAt);
  return {
    entries,
    pending: outbox.pending,
    requests: requests.entries,
    labels,
    epochSeconds: status.config.epochSeconds ?? DAY_SECONDS,
    aggregation: status.config.aggregation ?? null,
  };
}

export function SentView() {
  const { state, reload } = useAsync(loadSent);
  return (
    <section aria-labelledby="sent-title">
      <div class="row">
        <h2 id="sent-title" class="grow">
          {t('sentTitle')}
        </h2>
        <button type="button" class="small-button" onClick={reload}>
          {t('refresh')}
        </button>
      </div>
      <p class="muted small">{t('sentIntro')}</p>
      <AsyncView state={state} onRetry={reload}>
        {({ entries, pending, requests, labels, epochSeconds, aggregation }) => (
          <>
            {aggregation && <DapProtection aggregation={aggregation} />}
            <OutboxList
              items={pending}
              epochSeconds={epochSeconds}
              labels={labels}
              onChange={reload}
            />
            {entries.length === 0 && pending.length === 0 && (
              <p class="empty" data-testid="sent-empty">
                {t('sentNoReport')}
              </p>
            )}
            {entries.length > 0 && (
              <ul class="plain">
                {entries.map((entry) => (
                  <SentEntry
                    key={entry.id}
                    entry={entry}
                    labels={labels}
                    epochSeconds={epochSeconds}
                  />
                ))}
              </ul>
            )}
            <RequestLogList entries={requests} />
          </>
        )}
      </AsyncView>
    </section>
  );
}
