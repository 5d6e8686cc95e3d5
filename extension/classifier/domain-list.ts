/**
 * The shipped domain list: well-known sites → the most specific shipped category that fits. Our
 * own curation (see docs/taxonomy.md): no sensitive sites at all, registrable domains (Public
 * Suffix List, private suffixes included) except the flagged host rules. The union's config adds
 * and overrides rules (classify.ts, `buildDomainRules`).
 *
 * The sources are text files (`scripts/domains/*.txt`); `scripts/build-domain-list.ts` checks them
 * and writes `domain-list.json` in the compact form of domain-list-codec.ts, which costs the
 * service worker a fifth less than the same list as TypeScript literals. Edit the sources, never
 * the JSON; bump DOMAIN_LIST_VERSION (scripts/domain-list/build-data.ts) with every change.
 */
import { decodeDomainRules } from './domain-list-codec.ts';
import data from './domain-list.json' with { type: 'json' };

/** The shape of domain-list.json. */
export interface DomainListData {
  version: number;
  /** Hosts in `domains` and `hostRules` together. */
  count: number;
  /** Registrable domains (domain-list-codec.ts form). */
  domains: string;
  /** Host names below a registrable domain whose site is another category (maps.google.com). */
  hostRules: string;
}

export interface ShippedDomainRule {
  /** Lowercase ASCII (punycode) registrable domain, or a host name below one if `hostRule`. */
  readonly host: string;
  readonly categoryId: number;
  /** A deliberate rule for a host below its registrable domain (scripts/domains/host-rules.txt). */
  readonly hostRule: boolean;
}

const shipped: DomainListData = data;

export const DOMAIN_LIST_VERSION = shipped.version;

export const DOMAIN_LIST: readonly ShippedDomainRule[] = [
  ...decodeDomainRules(shipped.domains).map((r) => ({ ...r, hostRule: false })),
  ...decodeDomainRules(shipped.hostRules).map((r) => ({ ...r, hostRule: true })),
];
