/**
 * A view whose code is fetched the first time it is shown. The popup's first paint needs only the
 * status header and the Categories tab; the other tabs (with ethers, zod and the backup code)
 * load on demand, so the first chunk stays small.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

import { t } from '../lib/i18n.ts';
import { ErrorNotice } from './async-view.tsx';

export function lazyView<P extends object>(
  load: () => Promise<ComponentType<P>>,
): ComponentType<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  let loaded: ComponentType<P> | undefined;

  return function LazyView(props: P) {
    const [view, setView] = useState(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (view) return;
      let current = true;
      loading ??= load();
      loading
        .then((component) => {
          loaded = component;
          if (current) setView(() => component);
        })
        .catch(() => {
          loading = undefined; // let a retry fetch it again
          if (current) setFailed(true);
        });
      return () => {
        current = false;
      };
    }, [view]);
    if (failed) return <ErrorNotice message={t('errorGeneric')} />;
    if (!view) {
      return (
        <p class="muted" role="status">
          {t('loading')}
        </p>
      );
    }
    const View = view;
    return <View {...props} />;
  };
}
