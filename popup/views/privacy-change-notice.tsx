/**
 * A privacy change the member has not confirmed: which switched-on categories are paused, what
 * changed ("Shopping now also counts example.com"; "daily ε 2 → 4"), and the confirm button.
 */
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { t } from '../lib/i18n.ts';
import { changeLines } from '../lib/privacy-change-text.ts';

type Listing = ResultOf<'listCategories'>;

interface Props {
  change: NonNullable<Listing['privacyChange']>;
  categories: Listing['categories'];
  busy: boolean;
  onConfirm: (version: number) => void;
}

export function PrivacyChangeNotice({ change, categories, busy, onConfirm }: Props) {
  const held = categories.filter((c) => change.categories.includes(c.id)).map((c) => c.label);
  return (
    <div class="notice warning" role="status" aria-labelledby="privacy-change-title">
      <p>
        <strong id="privacy-change-title">{t('privacyChangeTitle')}</strong>
      </p>
      <p>{t('privacyChangeIntro', held.join(', '))}</p>
      <ul data-testid="privacy-change-lines">
        {changeLines(change.changes, t).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <button
        type="button"
        class="primary"
        disabled={busy}
        onClick={() => onConfirm(change.toVersion)}
      >
        {t('privacyChangeConfirm')}
      </button>
    </div>
  );
}
