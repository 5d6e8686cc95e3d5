/**
 * Sensitive hosts: sites whose very visit reveals a sensitive subject (docs/taxonomy.md, "Sensitive
 * hosts"). Shared by the extension (it refuses a config whose rules name one and never classifies
 * one) and the union (it refuses to publish such a config).
 *
 * Two parts:
 * - a shipped list of well-known sites per subject, built by `scripts/build-sensitive-hosts.ts`
 *   from `scripts/sensitive-hosts/*.txt` into `sensitive-hosts.json` as a compact hashed set
 *   (32-bit FNV-1a of the registrable domain, sorted, delta-encoded as LEB128 varints, base64), so
 *   it costs the service worker about 3 bytes a site;
 * - a keyword trip-wire on the host name's words, for the long tail the list cannot hold.
 *
 * A host matches when it, or any parent of it, is listed, or when one of its words trips the wire.
 */
import data from './sensitive-hosts.json' with { type: 'json' };

export const sensitiveSubjects = [
  'adult',
  'sex-life',
  'gambling',
  'health',
  'religion',
  'politics',
  'debt',
] as const;
export type SensitiveSubject = (typeof sensitiveSubjects)[number];

/**
 * Trip-wire words. `stems` match anywhere in the host name (they are rarely part of an innocent
 * word); `words` match only a whole word, the host name being split at dots, hyphens and digits
 * ("bet365.com" → bet, com), since they are often inside innocent ones (sussex, sloan, alphabet).
 */
export const sensitiveKeywords: Record<SensitiveSubject, { stems: string[]; words: string[] }> = {
  adult: {
    stems: ['porn', 'hentai', 'nsfw', 'camgirl', 'sexcam', 'fetish', 'xvideo', 'onlyfans'],
    words: ['xxx', 'escort', 'escorts', 'nude', 'nudes'],
  },
  'sex-life': {
    stems: ['hookup', 'swinger', 'adultfriend'],
    words: ['sex', 'dating', 'gay', 'lesbian', 'lgbt', 'lgbtq', 'queer', 'singles'],
  },
  gambling: {
    stems: ['casino', 'gambl', 'sportsbook', 'poker', 'lotto', 'bingo', 'roulette', 'blackjack'],
    words: ['bet', 'bets', 'betting', 'slots', 'lottery', 'wager'],
  },
  health: {
    stems: ['clinic', 'hospital', 'pharmacy', 'abortion', 'oncolog', 'psychiatr', 'mentalhealth'],
    words: [
      'health',
      'medical',
      'medicine',
      'doctor',
      'doctors',
      'therapy',
      'therapist',
      'rehab',
      'cancer',
      'diabetes',
      'hiv',
      'std',
      'fertility',
      'pregnancy',
      'ivf',
      'dentist',
    ],
  },
  religion: {
    stems: ['bible', 'quran', 'koran', 'synagogue', 'mosque'],
    words: ['church', 'churches', 'islam', 'islamic', 'catholic', 'christian', 'jesus', 'prayer'],
  },
  politics: {
    stems: ['democrat', 'republican'],
    words: ['gop', 'vote', 'votes', 'election', 'elections', 'labour', 'campaign'],
  },
  debt: {
    stems: ['payday', 'debt', 'bankrupt'],
    words: ['loan', 'loans', 'lender', 'mortgage', 'mortgages', 'credit'],
  },
};

/** 32-bit FNV-1a of an ASCII string: tiny, fast and identical in Node and the worker. */
export function hostHash(host: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < host.length; i += 1) {
    h ^= host.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Sorted unique hashes → LEB128 varint deltas → base64. */
export function encodeHashes(hashes: readonly number[]): string {
  const sorted = [...new Set(hashes)].sort((a, b) => a - b);
  const bytes: number[] = [];
  let previous = 0;
  for (const h of sorted) {
    let delta = h - previous;
    previous = h;
    while (delta >= 0x80) {
      bytes.push((delta % 0x80) | 0x80);
      delta = Math.floor(delta / 0x80);
    }
    bytes.push(delta);
  }
  return btoa(String.fromCharCode(...bytes));
}

export function decodeHashes(encoded: string): Uint32Array {
  const raw = atob(encoded);
  const out: number[] = [];
  let value = 0;
  let shift = 1;
  let previous = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw.charCodeAt(i);
    value += (byte & 0x7f) * shift;
    if (byte < 0x80) {
      previous += value;
      out.push(previous);
      value = 0;
      shift = 1;
    } else {
      shift *= 0x80;
    }
  }
  return Uint32Array.from(out);
}

export interface SensitiveHostData {
  version: number;
  hash: 'fnv1a-32';
  subjects: Record<SensitiveSubject, { count: number; hashes: string }>;
}

let decoded: [SensitiveSubject, Uint32Array][] | null = null;

function listed(): [SensitiveSubject, Uint32Array][] {
  decoded ??= sensitiveSubjects.map((s) => [
    s,
    decodeHashes((data as SensitiveHostData).subjects[s].hashes),
  ]);
  return decoded;
}

function has(sorted: Uint32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid]!;
    if (at === value) return true;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

const wordIndex = new Map<string, SensitiveSubject>();
const stemSubject = new Map<string, SensitiveSubject>();
for (const subject of sensitiveSubjects) {
  for (const word of sensitiveKeywords[subject].words) wordIndex.set(word, subject);
  for (const stem of sensitiveKeywords[subject].stems) stemSubject.set(stem, subject);
}
/** Every stem in one expression: one scan of the name instead of one per stem. */
const stemPattern = new RegExp([...stemSubject.keys()].join('|'));

/** The subject whose trip-wire word the host name contains, or null. */
export function sensitiveKeyword(host: string): SensitiveSubject | null {
  const stem = stemPattern.exec(host);
  if (stem) return stemSubject.get(stem[0]) ?? null;
  for (const word of host.split(/[.\-0-9]+/)) {
    const subject = wordIndex.get(word);
    if (subject) return subject;
  }
  return null;
}

/** The subject of a listed host (the host or any parent with at least two labels), or null. */
export function listedSensitiveHost(host: string): SensitiveSubject | null {
  const sets = listed();
  let name = host;
  for (;;) {
    const h = hostHash(name);
    for (const [subject, hashes] of sets) if (has(hashes, h)) return subject;
    const dot = name.indexOf('.');
    if (dot < 0 || name.indexOf('.', dot + 1) < 0) return null;
    name = name.slice(dot + 1);
  }
}

/**
 * Why a lowercase ASCII host name (as the classifier normalises it) is sensitive, or null. Checks
 * the shipped list first, then the trip-wire.
 */
export function sensitiveHostSubject(host: string): SensitiveSubject | null {
  return listedSensitiveHost(host) ?? sensitiveKeyword(host);
}
