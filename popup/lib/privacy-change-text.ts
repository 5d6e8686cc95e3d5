/**
 * The sentences of a privacy change and of the budget, as the popup shows them ("Shopping now also
 * counts example.com"; "daily ε 2 → 4"). Pure: `translate` is `t` in the popup, a stand-in in
 * tests.
 */
import type { ResultOf } from '../../extension/protocol/messages.ts';
import type { MessageKey } from './message-key.ts';

export type Translate = (key: MessageKey, ...substitutions: string[]) => string;
type Change = NonNullable<ResultOf<'listCategories'>['privacyChange']>['changes'][number];
type Budget = ResultOf<'privacyBudget'>;

/** 3600 → "1 h", 86400 → "1 d", 90 → "90 s", 60 → "1 min". */
export function durationText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

const numberKeys = {
  'daily-epsilon': 'privacyChangeDailyEpsilon',
  epsilon: 'privacyChangeEpsilon',
  'epoch-seconds': 'privacyChangeEpoch',
  'max-visits': 'privacyChangeMaxVisits',
  'max-active-seconds': 'privacyChangeMaxActive',
  'k-threshold': 'privacyChangeK',
} as const satisfies Record<Exclude<Change['kind'], 'rules' | 'aggregators'>, MessageKey>;

/** One sentence per change; a rules change gives one for added and one for removed sites. */
export function changeLines(changes: readonly Change[], translate: Translate): string[] {
  return changes.flatMap((change) => {
    if (change.kind === 'aggregators') {
      const who = (value: string | null) => value ?? translate('privacyChangeUnionAlone');
      return [translate('privacyChangeAggregators', who(change.from), who(change.to))];
    }
    if (change.kind === 'rules') {
      const lines: string[] = [];
      if (change.added.length > 0) {
        lines.push(translate('privacyChangeRulesAdded', change.label, change.added.join(', ')));
      }
      if (change.removed.length > 0) {
        lines.push(translate('privacyChangeRulesRemoved', change.label, change.removed.join(', ')));
      }
      return lines;
    }
    const show = (value: number) =>
      change.kind === 'epoch-seconds' || change.kind === 'max-active-seconds'
        ? durationText(value)
        : String(value);
    return [translate(numberKeys[change.kind], show(change.from), show(change.to))];
  });
}

const round = (value: number) => String(Math.round(value * 100) / 100);

/** "Last 24 hours: ε 2 spent, 6 left of 8" (or without a cap in a development build). */
export function budgetLines(budget: Budget, translate: Translate): string[] {
  const line = (
    spend: Budget['day'],
    capped: 'budgetDay' | 'budgetDays30',
    uncapped: 'budgetDayUncapped' | 'budgetDays30Uncapped',
  ) =>
    spend.cap === null
      ? translate(uncapped, round(spend.spent))
      : translate(
          capped,
          round(spend.spent),
          round(Math.max(0, spend.cap - spend.spent)),
          String(spend.cap),
        );
  return [
    line(budget.day, 'budgetDay', 'budgetDayUncapped'),
    line(budget.days30, 'budgetDays30', 'budgetDays30Uncapped'),
  ];
}
