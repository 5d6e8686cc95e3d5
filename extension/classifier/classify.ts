/**
 * On-device classification of a page into one category, by its host name only: never the path,
 * query or fragment. Rules come from the shipped domain list (domain-list.ts) merged with the
 * union config's per-category `domains[]` (admin rules), and can only ever yield a category the
 * config lists, and never for a sensitive host (protocol/sensitive-hosts.ts: the shipped list and
 * the word trip-wire), whatever the rules say. See docs/taxonomy.md.
 *
 * Matching: the most specific rule wins — the exact host, then each parent host up to the
 * registrable domain (never above it: a rule for a public suffix such as co.uk or github.io matches
 * nothing). So `maps.google.com` beats `google.com`, and `eu.maps.google.com` is travel too.
 */
import { sensitiveHostSubject, sensitiveKeyword } from '../protocol/sensitive-hosts.ts';
import { categoryById } from '../protocol/taxonomy.ts';
import { DOMAIN_LIST } from './domain-list.ts';
import { siteOfHostname, siteOfUrl, type SiteHost } from './site-host.ts';

export interface DomainRules {
  /** category id by registrable domain or host name */
  byHost: ReadonlyMap<string, number>;
}

/** Guards the parent walk against a (never shipped) parentId cycle. */
const MAX_PARENT_DEPTH = 16;

/** The category itself if the config lists it, else its nearest listed ancestor, else null. */
function nearestListed(categoryId: number, listed: ReadonlySet<number>): number | null {
  let id: number | undefined = categoryId;
  for (let depth = 0; id !== undefined && depth < MAX_PARENT_DEPTH; depth += 1) {
    if (listed.has(id)) return id;
    id = categoryById(id)?.parentId;
  }
  return null;
}

/**
 * Merges the shipped domain list with the config's rules.
 *
 * - Only categories the config lists *and* the taxonomy knows as non-sensitive can be produced
 *   (`categoryById` never returns a sensitive one); everything else is ignored.
 * - Admin rules win over shipped rules for the same host; if two config categories list the same
 *   host, the first in config order wins.
 * - A shipped rule whose category the config does not list counts for its nearest listed ancestor
 *   (via `parentId`: "Movie & TV streaming" → "TV & video" → "Arts & entertainment"), else it is
 *   dropped.
 * - Rules that could never match (IPs, localhost, public suffixes, malformed names) are dropped;
 *   admin rules are normalised like host names (lowercase, punycode, no trailing dot).
 * - Rules naming a sensitive host are dropped (a checked config has none; this holds even for an
 *   unchecked one).
 */
export function buildDomainRules(
  configCategories: readonly { id: number; domains: readonly string[] }[],
): DomainRules {
  const listed = new Set<number>();
  for (const c of configCategories) {
    if (categoryById(c.id) !== undefined) listed.add(c.id);
  }
  const byHost = new Map<string, number>();
  for (const c of configCategories) {
    if (!listed.has(c.id)) continue;
    for (const rule of c.domains) {
      const host = siteOfHostname(rule)?.hostname;
      if (host !== undefined && !byHost.has(host) && sensitiveHostSubject(host) === null) {
        byHost.set(host, c.id);
      }
    }
  }
  const target = new Map<number, number | null>();
  for (const { host, categoryId } of DOMAIN_LIST) {
    if (byHost.has(host)) continue;
    let id = target.get(categoryId);
    if (id === undefined) {
      id = nearestListed(categoryId, listed);
      target.set(categoryId, id);
    }
    if (id !== null) byHost.set(host, id);
  }
  return { byHost };
}

/** The most specific rule for the host: its category and the rule's own host name. */
function ruleFor(site: SiteHost, rules: DomainRules): { id: number; host: string } | null {
  const { domain } = site;
  let host = site.hostname;
  for (;;) {
    const id = rules.byHost.get(host);
    if (id !== undefined) return { id, host };
    if (host.length <= domain.length) return null;
    host = host.slice(host.indexOf('.') + 1);
  }
}

/**
 * The category of the most specific rule — unless the visited host itself is sensitive (a
 * "clinic.example.com" under a rule for "example.com"). The rule's own host and its parents were
 * checked when the rules were built, and the shipped list holds registrable domains only, so only
 * the labels in front of the rule's host are left to check, against the word trip-wire (a word
 * never spans a dot).
 */
function lookup(site: SiteHost | null, rules: DomainRules): number | null {
  if (site === null) return null;
  const rule = ruleFor(site, rules);
  if (rule === null) return null;
  if (rule.host.length === site.hostname.length) return rule.id;
  const labels = site.hostname.slice(0, site.hostname.length - rule.host.length - 1);
  return sensitiveKeyword(labels) === null ? rule.id : null;
}

/** The category of a page URL (http/https only), or null. Never throws. */
export function classifyUrl(url: string, rules: DomainRules): number | null {
  return lookup(siteOfUrl(url), rules);
}

/** The category of a host name (as `URL.hostname` gives it), or null. Never throws. */
export function classifyHostname(hostname: string, rules: DomainRules): number | null {
  return lookup(siteOfHostname(hostname), rules);
}
