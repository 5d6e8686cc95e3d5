/**
 * Every category the union's config offers (sensitive ones never reach this list), each off until
 * the member switches it on; categories from a newer config are marked "new" until acknowledged;
 * a privacy change the member has not confirmed pauses the categories it touches until they do.
 * Each category shows the union's domain rules; the privacy budget follows the list.
 */
import { useState } from 'preact/hooks';

import { call } from '../client.ts';
import { AsyncView, ErrorNotice } from '../components/async-view.tsx';
import { consentForCategory, nativePermissions } from '../lib/data-collection-consent.ts';
import { errorText, t } from '../lib/i18n.ts';
import { useAsync } from '../lib/use-async.ts';
import { BudgetPanel } from './budget-panel.tsx';
import { CategoryRow } from './category-row.tsx';
import { PrivacyChangeNotice } from './privacy-change-notice.tsx';

export function CategoriesView({ onChanged }: { onChanged: () => void }) {
  const { state, reload } = useAsync(() => call('listCategories', {}));
  const [busyId, setBusyId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** Firefox asks for data-collection consent in this same click, before anything is awaited. */
  const toggle = (id: number, enabled: boolean) => {
    const consent = consentForCategory(nativePermissions(), enabled);
    void act(id, async () => {
      const answer = await consent;
      if (answer !== 'allowed') {
        throw new Error(
          t(answer === 'declined' ? 'dataCollectionDeclined' : 'dataCollectionFailed'),
        );
      }
      await call('setCategory', { id, enabled });
    });
  };

  const act = async (id: number | null, task: () => Promise<unknown>) => {
    setBusyId(id);
    setError(null);
    try {
      await task();
      reload();
      onChanged();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section aria-labelledby="categories-title">
      <h2 id="categories-title">{t('categoriesTitle')}</h2>
      <p class="muted small">{t('categoriesIntro')}</p>
      {error && <ErrorNotice message={error} />}
      <AsyncView
        state={state}
        onRetry={reload}
        isEmpty={(value) => value.categories.length === 0}
        emptyText={t('categoriesEmpty')}
      >
        {({ categories, dataCollectionRevokedAt, privacyChange }) => (
          <>
            {privacyChange && (
              <PrivacyChangeNotice
                change={privacyChange}
                categories={categories}
                busy={busyId !== null}
                onConfirm={(version) =>
                  void act(-2, () => call('confirmPrivacyChange', { version }))
                }
              />
            )}
            {dataCollectionRevokedAt !== null && (
              <p class="notice warning" role="status">
                {t('dataCollectionRevokedNotice')}
              </p>
            )}
            {categories.some((c) => c.isNew) && (
              <div class="notice">
                <p>{t('categoriesNewNotice')}</p>
                <button
                  type="button"
                  onClick={() => void act(-1, () => call('acknowledgeNewCategories', {}))}
                >
                  {t('categoriesAcknowledge')}
                </button>
              </div>
            )}
            <ul class="plain">
              {categories.map((category) => (
                <CategoryRow
                  key={category.id}
                  category={category}
                  busy={busyId !== null}
                  onToggle={(enabled) => toggle(category.id, enabled)}
                />
              ))}
            </ul>
          </>
        )}
      </AsyncView>
      <BudgetPanel />
      {state.kind === 'ready' && state.value.categories.length === 0 && (
        <button type="button" onClick={() => void act(null, () => call('refreshConfig', {}))}>
          {t('categoriesRefresh')}
        </button>
      )}
    </section>
  );
}
