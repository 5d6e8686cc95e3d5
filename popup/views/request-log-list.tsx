/** Every request made to the union, newest first: method, path, time, answer, and the exact body. */
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { formatDateTime } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';

type Entry = ResultOf<'requestLog'>['entries'][number];

function answerText(entry: Entry): string {
  if (entry.status !== null) return t('requestAnswer', String(entry.status));
  return entry.error ? t('requestNoAnswer', entry.error) : t('requestWaiting');
}

export function RequestLogList({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return null;
  return (
    <>
      <h3>{t('requestLogTitle')}</h3>
      <p class="small muted">{t('requestLogIntro')}</p>
      <ul class="plain">
        {entries.map((entry) => (
          <li key={entry.id} class="card" data-testid="request-entry">
            <p>
              <code>
                {entry.method} {entry.path}
              </code>
            </p>
            <p class="small">
              {formatDateTime(entry.at)} · {answerText(entry)}
            </p>
            {entry.body !== null && (
              <details>
                <summary>{t('sentRaw')}</summary>
                <pre class="raw">{entry.body}</pre>
              </details>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
