/**
 * The consent model (DESIGN §6) as pure functions over `ConsentState`: nothing is recorded before
 * onboarding consent; every category is off until the member turns it on; a category that a new
 * config adds starts off and is marked new; a pause records nothing until it ends; private windows
 * and sites the member excluded are never recorded; a category held by an unconfirmed privacy
 * change (privacy-change.ts) records nothing until the member confirms.
 */
import type { CategoryConsent, ConsentState } from '../storage/schema.ts';
import { isHeldForChange, releaseCategory } from './privacy-change.ts';

export function initialConsent(): ConsentState {
  return { givenAt: null, withdrawnAt: null, categories: {}, pause: null };
}

export type RecordDecision =
  | 'record'
  | 'no-consent'
  | 'paused'
  | 'incognito'
  | 'excluded'
  | 'unclassified'
  | 'category-off'
  | 'awaiting-confirmation';

export interface VisitContext {
  now: number;
  incognito: boolean;
  /** The category the classifier found, or null. */
  category: number | null;
  /** Whether the member excluded this site. */
  excluded: boolean;
}

export function isPaused(consent: ConsentState, now: number): boolean {
  if (!consent.pause) return false;
  return consent.pause.until === null || now < consent.pause.until;
}

/** Switched on by the member and not held by an unconfirmed privacy change. */
export function isCategoryEnabled(consent: ConsentState, category: number): boolean {
  return (
    consent.categories[String(category)]?.enabled === true && !isHeldForChange(consent, category)
  );
}

/** Whether recording is allowed at all right now (before looking at the page). */
export function canRecordAnything(consent: ConsentState, now: number): boolean {
  return consent.givenAt !== null && !isPaused(consent, now);
}

/** The one gate every count passes through. The order puts the cheapest refusals first. */
export function decideRecording(consent: ConsentState, visit: VisitContext): RecordDecision {
  if (visit.incognito) return 'incognito';
  if (consent.givenAt === null) return 'no-consent';
  if (isPaused(consent, visit.now)) return 'paused';
  if (visit.category === null) return 'unclassified';
  if (isHeldForChange(consent, visit.category)) return 'awaiting-confirmation';
  if (!isCategoryEnabled(consent, visit.category)) return 'category-off';
  if (visit.excluded) return 'excluded';
  return 'record';
}

export function giveConsent(consent: ConsentState, now: number): ConsentState {
  return { ...consent, givenAt: now, withdrawnAt: null };
}

/** Withdrawing consent switches every category off too: consenting again starts from nothing. */
export function withdrawConsent(consent: ConsentState, now: number): ConsentState {
  const categories: Record<string, CategoryConsent> = {};
  for (const [id, entry] of Object.entries(consent.categories)) {
    categories[id] = { ...entry, enabled: false, changedAt: now };
  }
  return { givenAt: null, withdrawnAt: now, categories, pause: null };
}

/**
 * Switching a category on again also clears the "Firefox permission withdrawn" notice; switching a
 * held category either way takes it out of the hold (on: consent to the rules shown now).
 */
export function setCategory(
  consent: ConsentState,
  category: number,
  enabled: boolean,
  now: number,
): ConsentState {
  const released = releaseCategory(consent, category);
  const { dataCollectionRevokedAt: _notice, ...withoutNotice } = released;
  return {
    ...(enabled ? withoutNotice : released),
    categories: {
      ...consent.categories,
      [String(category)]: { enabled, isNew: false, changedAt: now },
    },
  };
}

export function enabledCategoryIds(consent: ConsentState): number[] {
  return Object.entries(consent.categories)
    .filter(([, entry]) => entry.enabled)
    .map(([id]) => Number(id));
}

/**
 * Firefox's `browsingActivity` data-collection permission is missing: every enabled category goes
 * off (as if the member had switched each off) and the record keeps when, for the popup's notice.
 * Onboarding consent is untouched; the member can switch categories on again, which asks Firefox.
 */
export function revokeDataCollection(consent: ConsentState, now: number): ConsentState {
  const categories: Record<string, CategoryConsent> = {};
  for (const [id, entry] of Object.entries(consent.categories)) {
    categories[id] = entry.enabled ? { enabled: false, isNew: false, changedAt: now } : entry;
  }
  // Every category is off, so no privacy change is left to confirm.
  const { privacyChange: _nothingHeld, ...rest } = consent;
  return { ...rest, categories, dataCollectionRevokedAt: now };
}

/**
 * Brings the per-category entries in line with a newly accepted config: categories never seen
 * before start off and are marked new; entries of categories the config dropped are kept (off in
 * effect, since nothing can be classified into them) so a returning category keeps the choice.
 */
export function applyConfigCategories(
  consent: ConsentState,
  configCategoryIds: readonly number[],
  now: number,
  isFirstConfig: boolean,
): ConsentState {
  const categories = { ...consent.categories };
  for (const id of configCategoryIds) {
    const key = String(id);
    if (!categories[key]) {
      // The first config's categories are simply "all off", not "new".
      categories[key] = { enabled: false, isNew: !isFirstConfig, changedAt: now };
    }
  }
  return { ...consent, categories };
}

export function acknowledgeNew(consent: ConsentState): ConsentState {
  const categories: Record<string, CategoryConsent> = {};
  for (const [id, entry] of Object.entries(consent.categories)) {
    categories[id] = { ...entry, isNew: false };
  }
  return { ...consent, categories };
}

export type PauseChoice = { kind: 'hour' } | { kind: 'tomorrow' } | { kind: 'indefinitely' };

/** "Tomorrow" is the next local midnight, given the member's time zone offset in minutes. */
export function pauseUntil(
  choice: PauseChoice,
  now: number,
  timezoneOffsetMinutes: number,
): number | null {
  if (choice.kind === 'indefinitely') return null;
  if (choice.kind === 'hour') return now + 3_600_000;
  const local = now - timezoneOffsetMinutes * 60_000;
  const nextLocalMidnight = (Math.floor(local / 86_400_000) + 1) * 86_400_000;
  return nextLocalMidnight + timezoneOffsetMinutes * 60_000;
}

export function pause(consent: ConsentState, now: number, until: number | null): ConsentState {
  return { ...consent, pause: { since: now, until } };
}

export function resume(consent: ConsentState): ConsentState {
  return { ...consent, pause: null };
}
