/**
 * The privacy budget spent and left (last 24 hours, last 30 days), and, in a development or e2e
 * build, the notice that short epochs and a small k are allowed.
 */
import { call } from '../client.ts';
import { t } from '../lib/i18n.ts';
import { budgetLines } from '../lib/privacy-change-text.ts';
import { useAsync } from '../lib/use-async.ts';

export function BudgetPanel() {
  const { state } = useAsync(() => call('privacyBudget', {}));
  if (state.kind !== 'ready') return null;
  const budget = state.value;
  return (
    <section class="stack small" aria-labelledby="budget-title" data-testid="privacy-budget">
      {budget.kind === 'development' && (
        <p class="notice warning" role="status" data-testid="development-build">
          {t('developmentBuildNotice')}
        </p>
      )}
      <h3 id="budget-title">{t('budgetTitle')}</h3>
      <p class="muted">{t('budgetIntro')}</p>
      <ul class="plain">
        {budgetLines(budget, t).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}
