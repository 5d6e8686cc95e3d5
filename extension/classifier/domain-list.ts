/**
 * The shipped domain list: well-known sites → the most specific shipped category that fits. Our
 * own curation (see docs/taxonomy.md): no sensitive sites at all, registrable domains (Public
 * Suffix List, private suffixes included) except the flagged host rules in domains/host-rules.ts.
 * The union's config adds and overrides rules (classify.ts, `buildDomainRules`).
 *
 * Bump DOMAIN_LIST_VERSION whenever an entry is added, removed or moved to another category.
 */
import { categoryIds, type CategoryKey } from './category-ids.ts';
import { apparelStoresReviews } from './domains/apparel-stores-reviews.ts';
import { artsEntertainment } from './domains/arts-entertainment.ts';
import { autosVehicles } from './domains/autos-vehicles.ts';
import { beautyBooks } from './domains/beauty-books.ts';
import { business } from './domains/business.ts';
import { communitiesReference } from './domains/communities-reference.ts';
import { computersElectronics } from './domains/computers-electronics.ts';
import type { DomainGroup } from './domains/domain-group.ts';
import { foodDrink } from './domains/food-drink.ts';
import { games } from './domains/games.ts';
import { hobbies } from './domains/hobbies.ts';
import { homeGarden } from './domains/home-garden.ts';
import { hostRules } from './domains/host-rules.ts';
import { internetTelecom } from './domains/internet-telecom.ts';
import { jobsEducation } from './domains/jobs-education.ts';
import { news } from './domains/news.ts';
import { petsProperty } from './domains/pets-property.ts';
import { shopping } from './domains/shopping.ts';
import { software } from './domains/software.ts';
import { sports } from './domains/sports.ts';
import { sportsFootballTennisMotor } from './domains/sports-football-tennis-motor.ts';
import { travel } from './domains/travel.ts';
import { travelStaysRail } from './domains/travel-stays-rail.ts';
import { tvVideoArt } from './domains/tv-video-art.ts';
import { webServices } from './domains/web-services.ts';

export const DOMAIN_LIST_VERSION = 1;

export interface ShippedDomainRule {
  /** Lowercase ASCII (punycode) registrable domain, or a host name below one if `hostRule`. */
  readonly host: string;
  readonly categoryId: number;
  /** A deliberate rule for a host below its registrable domain (domains/host-rules.ts). */
  readonly hostRule: boolean;
}

/** The slices that list registrable domains only. */
const registrableGroups: readonly DomainGroup[] = [
  artsEntertainment,
  tvVideoArt,
  autosVehicles,
  beautyBooks,
  business,
  computersElectronics,
  software,
  foodDrink,
  games,
  hobbies,
  homeGarden,
  internetTelecom,
  webServices,
  jobsEducation,
  news,
  communitiesReference,
  petsProperty,
  shopping,
  apparelStoresReviews,
  sports,
  sportsFootballTennisMotor,
  travel,
  travelStaysRail,
];

function rulesOf(group: DomainGroup, hostRule: boolean): ShippedDomainRule[] {
  const rules: ShippedDomainRule[] = [];
  for (const key of Object.keys(group) as CategoryKey[]) {
    const categoryId = categoryIds[key];
    for (const host of group[key] ?? []) rules.push({ host, categoryId, hostRule });
  }
  return rules;
}

export const DOMAIN_LIST: readonly ShippedDomainRule[] = [
  ...registrableGroups.flatMap((group) => rulesOf(group, false)),
  ...rulesOf(hostRules, true),
];
