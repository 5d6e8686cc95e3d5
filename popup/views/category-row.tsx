/**
 * One category: a labelled switch, its description and example sites, the union's domain rules,
 * a "new" badge, and a "paused until you confirm" badge while a privacy change holds it.
 */
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { t } from '../lib/i18n.ts';

type Category = ResultOf<'listCategories'>['categories'][number];

interface Props {
  category: Category;
  busy: boolean;
  onToggle: (enabled: boolean) => void;
}

export function CategoryRow({ category, busy, onToggle }: Props) {
  const inputId = `category-${category.id}`;
  const describedBy = `${inputId}-about`;
  return (
    <li class="category">
      <div class="row">
        <label for={inputId} class="grow">
          <strong>{category.label}</strong>
          {category.isNew && <span class="badge">{t('categoryNew')}</span>}
          {category.held && <span class="badge warning">{t('categoryHeld')}</span>}
        </label>
        <input
          id={inputId}
          type="checkbox"
          role="switch"
          class="switch"
          checked={category.enabled}
          disabled={busy}
          aria-describedby={describedBy}
          onChange={(event) => onToggle(event.currentTarget.checked)}
        />
      </div>
      <div id={describedBy} class="muted small">
        <p>{category.description}</p>
        {category.examples.length > 0 && (
          <p>{t('categoryExamples', category.examples.slice(0, 4).join(', '))}</p>
        )}
        {category.domains.length > 0 && (
          <details>
            <summary>{t('categoryRules', String(category.domains.length))}</summary>
            <p class="rules">{category.domains.join(', ')}</p>
          </details>
        )}
      </div>
    </li>
  );
}
