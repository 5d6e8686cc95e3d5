/**
 * From a URL or a host name to a *classifiable* host: a public internet name, normalised to
 * lowercase ASCII (punycode) without a trailing dot, together with its registrable domain. Anything
 * else gives null and is never classified (docs/taxonomy.md, "What is never classified"):
 *
 * - URLs whose scheme is not http or https (data:, file:, chrome:, about:, javascript:, blob: …);
 * - IP addresses, v4 or v6, bracketed or not — and odd numeric forms (127.1, 0x7f.1, 2130706433),
 *   which end in a label that no public suffix has;
 * - special-use names (IANA registry: localhost, *.localhost, .local, .test, .example, .invalid,
 *   .onion, .home.arpa, example.com …) and the private-network names below;
 * - hosts without a known public suffix: single-label intranet names, .internal, .lan, .corp …;
 * - public suffixes themselves (co.uk, github.io), which have no registrable domain.
 *
 * Public Suffix List *private* suffixes count as suffixes (`allowPrivateDomains`): on github.io,
 * blogspot.com or vercel.app every user's subdomain is a separate site, never the platform.
 *
 * Speed: the common case (an ASCII http(s) URL) is one tldts pass with inline validation, no
 * `new URL`. Only a URL whose host needs normalising (non-ASCII, percent-encoded) or that holds a
 * '[' goes through the WHATWG URL parser, which applies the IDNA (UTS #46) mapping browsers use.
 */
import { parse } from 'tldts';

type IResult = ReturnType<typeof parse>;

export interface SiteHost {
  /** Lowercase ASCII host name, no trailing dot. */
  hostname: string;
  /** Its registrable domain (a suffix of `hostname`). */
  domain: string;
}

const common = {
  allowPrivateDomains: true,
  detectIp: true,
  detectSpecialUse: true,
  extractHostname: true,
  validateHostname: true,
} as const;
const URL_OPTIONS = { ...common, mixedInputs: false };
const HOST_OPTIONS = { ...common, mixedInputs: true };

/**
 * Characters a bare host name never contains (':' and brackets only in IPv6 literals, which are
 * never classified; '%' only before normalising).
 */
const NOT_A_HOST_NAME = /[\s/\\?#@:[\]]/;
/** Longest host name input worth parsing (a valid one has at most 253 characters, fewer in Unicode). */
const MAX_RAW_HOST = 1024;

/**
 * Top-level labels reserved for private networks or special use. Most are not public suffixes at
 * all (and so already refused); listing them keeps them out even if a private PSL entry ever
 * appeared below one of them.
 */
const PRIVATE_TLDS: ReadonlySet<string> = new Set([
  'alt',
  'arpa',
  'corp',
  'example',
  'home',
  'internal',
  'intranet',
  'invalid',
  'lan',
  'local',
  'localdomain',
  'localhost',
  'onion',
  'private',
  'test',
]);

/**
 * Whether the scheme is http or https, in any case, after the leading C0 controls and spaces that
 * the WHATWG parser strips.
 */
function isHttpUrl(url: string): boolean {
  let i = 0;
  while (i < url.length && url.charCodeAt(i) <= 0x20) i += 1;
  const scheme = url.slice(i, i + 6).toLowerCase();
  return scheme.startsWith('http:') || scheme === 'https:';
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function fromParse(r: IResult): SiteHost | null {
  const { hostname, domain } = r;
  if (hostname === null || domain === null || r.isIp !== false || r.isSpecialUse !== false) {
    return null;
  }
  // A suffix matched only by the PSL's implicit "*" rule is no public suffix.
  if (r.isIcann !== true && r.isPrivate !== true) return null;
  if (PRIVATE_TLDS.has(hostname.slice(hostname.lastIndexOf('.') + 1))) return null;
  return { hostname, domain };
}

/** The host name the WHATWG URL parser (what the browser uses) gives, or null if it throws. */
function whatwgHostname(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

function siteOfAsciiHost(host: string): SiteHost | null {
  const r = parse(host, HOST_OPTIONS);
  return r.hostname !== null && isAscii(r.hostname) ? fromParse(r) : null;
}

/**
 * The classifiable host of an http(s) URL, or null. Never throws. A URL with a '[' anywhere
 * (a bracketed host, valid only for IPv6) or whose host needs normalising goes through the WHATWG
 * parser, so such a URL yields exactly the host the browser would connect to.
 */
export function siteOfUrl(url: string): SiteHost | null {
  if (typeof url !== 'string' || !isHttpUrl(url)) return null;
  if (!url.includes('[')) {
    const r = parse(url, URL_OPTIONS);
    if (r.hostname !== null && isAscii(r.hostname)) return fromParse(r);
  }
  const host = whatwgHostname(url);
  return host === null ? null : siteOfHostname(host);
}

/**
 * The classifiable host of a host name as `URL.hostname` gives it (any case, Unicode or
 * punycode, trailing dot allowed; no port, no userinfo, no brackets), or null. Never throws.
 */
export function siteOfHostname(hostname: string): SiteHost | null {
  if (typeof hostname !== 'string' || hostname.length === 0 || hostname.length > MAX_RAW_HOST) {
    return null;
  }
  if (NOT_A_HOST_NAME.test(hostname)) return null;
  const r = parse(hostname, HOST_OPTIONS);
  if (r.hostname !== null && isAscii(r.hostname)) return fromParse(r);
  // Only a Unicode or percent-encoded name can become valid by normalising (IDNA mapping).
  if (isAscii(hostname) && !hostname.includes('%')) return null;
  const ascii = whatwgHostname(`http://${hostname}/`);
  if (ascii === null || !isAscii(ascii) || NOT_A_HOST_NAME.test(ascii)) return null;
  return siteOfAsciiHost(ascii);
}
