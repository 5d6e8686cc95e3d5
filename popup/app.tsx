/** The popup: status and pause on top, then one tab per area the member controls. */
import { useState } from 'preact/hooks';

import { call } from './client.ts';
import { AsyncView } from './components/async-view.tsx';
import { lazyView } from './components/lazy-view.tsx';
import { TabBar, type TabItem } from './components/tab-bar.tsx';
import { browser } from './lib/browser-api.ts';
import { t } from './lib/i18n.ts';
import { loadStatus, readCachedStatus } from './lib/status-cache.ts';
import { useAsync } from './lib/use-async.ts';
import { CategoriesView } from './views/categories-view.tsx';
import { ExclusionsView } from './views/exclusions-view.tsx';
import { StatusHeader } from './views/status-header.tsx';

// Loaded when their tab is first opened: they carry ethers, zod and the backup code.
const SentView = lazyView(() => import('./views/sent-view.tsx').then((m) => m.SentView));
const EarningsView = lazyView(() =>
  import('./views/earnings-view.tsx').then((m) => m.EarningsView),
);
const KeyView = lazyView(() => import('./views/key-view.tsx').then((m) => m.KeyView));

type TabKey = 'categories' | 'sites' | 'sent' | 'earnings' | 'key';

export const ONBOARDING_PATH = 'popup/onboarding/index.html';

function openOnboarding() {
  void browser.tabs.create({ url: browser.runtime.getURL(ONBOARDING_PATH) }).then(() => {
    window.close();
  });
}

export function App() {
  const storage = globalThis.localStorage as Storage | undefined;
  const { state, reload } = useAsync(
    () => loadStatus(() => call('status', {}), storage),
    readCachedStatus(storage, browser.runtime.getManifest().version),
  );
  const [tab, setTab] = useState<TabKey>('categories');
  const tabs: readonly TabItem<TabKey>[] = [
    { key: 'categories', label: t('tabCategories') },
    { key: 'sites', label: t('tabSites') },
    { key: 'sent', label: t('tabSent') },
    { key: 'earnings', label: t('tabEarnings') },
    { key: 'key', label: t('tabKey') },
  ];

  return (
    <main class="popup">
      <AsyncView state={state} onRetry={reload}>
        {(status) => (
          <>
            {status.consentGivenAt === null ? (
              <section class="stack" aria-labelledby="welcome-title">
                <h1 id="welcome-title">{t('extensionName')}</h1>
                <p>{t('popupNoConsent')}</p>
                <button type="button" class="primary" onClick={openOnboarding}>
                  {t('popupOpenSetup')}
                </button>
              </section>
            ) : (
              <>
                <StatusHeader status={status} onChanged={reload} />
                <TabBar tabs={tabs} selected={tab} onSelect={setTab} label={t('tabsLabel')} />
                <div
                  class="panel"
                  role="tabpanel"
                  id={`panel-${tab}`}
                  aria-labelledby={`tab-${tab}`}
                  tabIndex={0}
                >
                  {tab === 'categories' && <CategoriesView onChanged={reload} />}
                  {tab === 'sites' && <ExclusionsView />}
                  {tab === 'sent' && <SentView />}
                  {tab === 'earnings' && <EarningsView />}
                  {tab === 'key' && <KeyView onChanged={reload} />}
                </div>
              </>
            )}
            <footer class="small muted" data-testid="status">
              {t('versionLine', status.version, status.ready ? t('ready') : t('starting'))}
            </footer>
          </>
        )}
      </AsyncView>
    </main>
  );
}
