/** Renders the loading, error, empty and ready states of one async load the same way everywhere. */
import type { ComponentChildren } from 'preact';

import { t } from '../lib/i18n.ts';
import type { AsyncState } from '../lib/use-async.ts';

interface Props<T> {
  state: AsyncState<T>;
  onRetry: () => void;
  isEmpty?: (value: T) => boolean;
  emptyText?: string;
  children: (value: T) => ComponentChildren;
}

export function AsyncView<T>({ state, onRetry, isEmpty, emptyText, children }: Props<T>) {
  if (state.kind === 'loading') {
    return (
      <p class="muted" role="status">
        {t('loading')}
      </p>
    );
  }
  if (state.kind === 'error') return <ErrorNotice message={state.message} onRetry={onRetry} />;
  if (isEmpty?.(state.value)) {
    return <p class="empty">{emptyText}</p>;
  }
  return <>{children(state.value)}</>;
}

export function ErrorNotice({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div class="notice error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}
