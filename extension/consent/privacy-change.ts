/**
 * Consent follows every privacy change (DESIGN §6): when a newly accepted config changes ε, the
 * epoch, a clip bound, k, who receives the reports (the union alone, or which two aggregators),
 * or the domain rules of a category the member has on, those categories
 * are held — nothing is recorded for them, and no report carries them — until the member confirms
 * the change. Pure functions over the configs and `ConsentState`; the popup renders the diff.
 *
 * Changes accumulate against the config the member last agreed to (`baseline`), so two configs in
 * a row show one diff, and a config that undoes a change releases the hold by itself.
 */
import type { UnionConfig } from '../protocol/config.ts';
import { deviceDailyEpsilonCents } from '../protocol/privacy-budget.ts';
import type { ConsentState, PrivacyChangeItem } from '../storage/schema.ts';

export type { PrivacyChangeItem };

function numberChange(
  kind: Exclude<PrivacyChangeItem['kind'], 'rules' | 'aggregators'>,
  from: number,
  to: number,
): PrivacyChangeItem[] {
  return from === to ? [] : [{ kind, from, to }];
}

/** Who receives the reports under `config`: null for the union alone, else `leader + helper`. */
function aggregatorsOf(config: UnionConfig): string | null {
  const block = config.aggregation;
  if (!block) return null;
  const host = (url: string) => new URL(url).host;
  return `${host(block.leaderUrl)} + ${host(block.helperUrl)}`;
}

/** What changed for the member between two configs, in the order the popup lists it. */
export function diffPrivacy(before: UnionConfig, after: UnionConfig): PrivacyChangeItem[] {
  const [aggregatorsBefore, aggregatorsAfter] = [aggregatorsOf(before), aggregatorsOf(after)];
  const items: PrivacyChangeItem[] = [
    ...numberChange(
      'daily-epsilon',
      deviceDailyEpsilonCents(before) / 100,
      deviceDailyEpsilonCents(after) / 100,
    ),
    ...numberChange('epsilon', before.privacy.epsilon, after.privacy.epsilon),
    ...numberChange('epoch-seconds', before.epochSeconds, after.epochSeconds),
    ...numberChange('max-visits', before.privacy.maxVisits, after.privacy.maxVisits),
    ...numberChange(
      'max-active-seconds',
      before.privacy.maxActiveSeconds,
      after.privacy.maxActiveSeconds,
    ),
    ...numberChange('k-threshold', before.privacy.kThreshold, after.privacy.kThreshold),
    ...(aggregatorsBefore === aggregatorsAfter
      ? []
      : [{ kind: 'aggregators' as const, from: aggregatorsBefore, to: aggregatorsAfter }]),
  ];
  const previous = new Map(before.categories.map((c) => [c.id, new Set(c.domains)]));
  for (const category of after.categories) {
    const old = previous.get(category.id);
    if (!old) continue; // a new category starts off and is marked new instead
    const now = new Set(category.domains);
    const added = category.domains.filter((d) => !old.has(d)).sort();
    const removed = [...old].filter((d) => !now.has(d)).sort();
    if (added.length > 0 || removed.length > 0) {
      items.push({ kind: 'rules', category: category.id, label: category.label, added, removed });
    }
  }
  return items;
}

/** The categories a change touches among those switched on: all of them for a global change. */
export function affectedCategories(
  items: readonly PrivacyChangeItem[],
  enabled: readonly number[],
): number[] {
  if (items.some((item) => item.kind !== 'rules')) return [...enabled].sort((a, b) => a - b);
  const touched = new Set(items.flatMap((item) => (item.kind === 'rules' ? [item.category] : [])));
  return enabled.filter((id) => touched.has(id)).sort((a, b) => a - b);
}

function withoutChange(consent: ConsentState): ConsentState {
  const { privacyChange: _released, ...rest } = consent;
  return rest;
}

/**
 * The consent after accepting `next` (with `previous` the config held until now). The first config
 * holds nothing: nothing is on yet.
 */
export function applyPrivacyChange(
  consent: ConsentState,
  previous: UnionConfig | undefined,
  next: UnionConfig,
  now: number,
): ConsentState {
  const baseline = consent.privacyChange?.baseline ?? previous;
  if (!baseline) return consent;
  const changes = diffPrivacy(baseline, next);
  const enabled = Object.entries(consent.categories)
    .filter(([, entry]) => entry.enabled)
    .map(([id]) => Number(id));
  const categories = affectedCategories(changes, enabled);
  if (categories.length === 0) return withoutChange(consent);
  return {
    ...consent,
    privacyChange: {
      fromVersion: baseline.version,
      toVersion: next.version,
      at: consent.privacyChange?.at ?? now,
      categories,
      changes,
      baseline,
    },
  };
}

/** Whether `category` is held until the member confirms a privacy change. */
export function isHeldForChange(consent: ConsentState, category: number): boolean {
  return consent.privacyChange?.categories.includes(category) === true;
}

/** The member agreed to the change up to `toVersion`: every held category records again. */
export function confirmPrivacyChange(consent: ConsentState): ConsentState {
  return withoutChange(consent);
}

/**
 * A held category the member switches (off, or on again after reading its rules) leaves the hold:
 * switching on is consent to the rules shown now.
 */
export function releaseCategory(consent: ConsentState, category: number): ConsentState {
  const change = consent.privacyChange;
  if (!change?.categories.includes(category)) return consent;
  const categories = change.categories.filter((id) => id !== category);
  if (categories.length === 0) return withoutChange(consent);
  return { ...consent, privacyChange: { ...change, categories } };
}
