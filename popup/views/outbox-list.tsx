/** Signed reports waiting to be sent, with their next retry and last error. */
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { formatDateTime, formatEpoch } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';

type Item = ResultOf<'outboxStatus'>['pending'][number];

export function OutboxList({ items, epochSeconds }: { items: Item[]; epochSeconds: number }) {
  if (items.length === 0) return null;
  return (
    <>
      <h3>{t('outboxTitle')}</h3>
      <ul class="plain">
        {items.map((item) => (
          <li key={item.epochStart} class="card" data-testid="outbox-item">
            <p>
              <strong>{formatEpoch(item.epochStart, epochSeconds)}</strong>
            </p>
            <p class="small">
              {t('outboxNextAttempt', formatDateTime(item.nextAttemptAt), String(item.attempts))}
            </p>
            {item.lastError && <p class="small muted">{item.lastError.message}</p>}
            <details>
              <summary>{t('sentRaw')}</summary>
              <pre class="raw">{item.body}</pre>
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
