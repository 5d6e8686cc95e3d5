/**
 * The prominent disclosure, in the plain words of docs/privacy.md: what Crowdsell does, what is
 * collected, what never is, who buys it and how members are paid.
 */
import { t, type MessageKey } from '../lib/i18n.ts';

const sections: readonly { title: MessageKey; points: readonly MessageKey[] }[] = [
  { title: 'discloseWhatTitle', points: ['discloseWhat1', 'discloseWhat2', 'discloseWhat3'] },
  {
    title: 'discloseCollectedTitle',
    points: [
      'discloseCollected1',
      'discloseCollected2',
      'discloseCollected3',
      'discloseCollected4',
    ],
  },
  {
    title: 'discloseNeverTitle',
    points: ['discloseNever1', 'discloseNever2', 'discloseNever3', 'discloseNever4'],
  },
  { title: 'discloseBuyersTitle', points: ['discloseBuyers1', 'discloseBuyers2'] },
  { title: 'disclosePaidTitle', points: ['disclosePaid1', 'disclosePaid2'] },
  { title: 'discloseControlTitle', points: ['discloseControl1', 'discloseControl2'] },
];

export function Disclosure() {
  return (
    <div class="disclosure">
      {sections.map(({ title, points }) => (
        <section key={title} aria-labelledby={title}>
          <h2 id={title}>{t(title)}</h2>
          <ul>
            {points.map((point) => (
              <li key={point}>{t(point)}</li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
