/** "What was sent": every report byte for byte, newest first, and what is still waiting. */
import { call } from '../client.ts';
import { AsyncView } from '../components/async-view.tsx';
import { t } from '../lib/i18n.ts';
import { useAsync } from '../lib/use-async.ts';
import { OutboxList } from './outbox-list.tsx';
import { SentEntry } from './sent-entry.tsx';

const DAY_SECONDS = 86_400;

async function loadSent() {
  const [log, outbox, categories, status] = await Promise.all([
    call('sentLog', {}),
    call('outboxStatus', {}),
    call('listCategories', {}),
    call('status', {}),
  ]);
  const labels = new Map(categories.categories.map((c) => [c.id, c.label]));
  const entries = [...log.entries].sort((a, b) => b.answeredAt - a.answeredAt);
  return {
    entries,
    pending: outbox.pending,
    labels,
    epochSeconds: status.config.epochSeconds ?? DAY_SECONDS,
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
      <AsyncView
        state={state}
        onRetry={reload}
        isEmpty={(value) => value.entries.length === 0 && value.pending.length === 0}
        emptyText={t('sentEmpty')}
      >
        {({ entries, pending, labels, epochSeconds }) => (
          <>
            <OutboxList items={pending} epochSeconds={epochSeconds} />
            {entries.length > 0 && (
              <ul class="plain">
                {entries.map((entry) => (
                  <SentEntry key={entry.id} entry={entry} labels={labels} />
                ))}
              </ul>
            )}
          </>
        )}
      </AsyncView>
    </section>
  );
}
