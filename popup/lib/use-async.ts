/** Loads something once (and again on `reload`), as a loading / ready / error state. */
import { useCallback, useEffect, useState } from 'preact/hooks';

import { errorText } from './i18n.ts';

export type AsyncState<T> =
  { kind: 'loading' } | { kind: 'ready'; value: T } | { kind: 'error'; message: string };

export function useAsync<T>(
  load: () => Promise<T>,
  /** A value to show at once (e.g. the last one seen) while the real one loads. */
  initial?: T,
): {
  state: AsyncState<T>;
  reload: () => void;
} {
  const [state, setState] = useState<AsyncState<T>>(
    initial === undefined ? { kind: 'loading' } : { kind: 'ready', value: initial },
  );
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    load()
      .then((value) => current && setState({ kind: 'ready', value }))
      .catch((error: unknown) => current && setState({ kind: 'error', message: errorText(error) }));
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `generation` is what asks for a reload.
  }, [generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, reload };
}
