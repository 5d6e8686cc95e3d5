/**
 * Which peers may tell the union the client's address in `X-Forwarded-For`. Per-IP limits key
 * on that address, so trusting everyone (the old `trustProxy: true`) let any client pick a fresh
 * address per request. Two safe forms: the addresses (or CIDR ranges) of the proxies in front,
 * or the number of proxy hops when the union is reachable only through them.
 */
import { z } from 'zod';

/** proxy-addr's named ranges (127.0.0.0/8 + ::1, link-local, private). */
const PRESETS = ['loopback', 'linklocal', 'uniquelocal'] as const;

const proxyAddress = z.union([z.enum(PRESETS), z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);

const TRUST_ALL_REFUSED =
  'true would trust a forged X-Forwarded-For from any client; give the number of proxies in front (e.g. 1) or their addresses (e.g. 10.0.0.0/8,loopback)';

export const trustProxySchema = z.union(
  [
    z.literal(false),
    /** Proxy hops in front of the union: the client is the entry that many places from the right. */
    z.number().int().min(1).max(10),
    z.array(proxyAddress).min(1),
  ],
  {
    error: (issue) =>
      issue.input === true
        ? TRUST_ALL_REFUSED
        : 'expected false, a hop count (1-10), or IP addresses, CIDR ranges or loopback/linklocal/uniquelocal',
  },
);
export type TrustProxy = z.infer<typeof trustProxySchema>;

/** `TRUST_PROXY`: `false` (empty, 0), a hop count, or comma-separated addresses / CIDR ranges. */
export function trustProxyFromEnv(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') throw new Error(`TRUST_PROXY: ${TRUST_ALL_REFUSED}.`);
  const raw = /^\d+$/.test(text)
    ? Number(text)
    : text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  const parsed = trustProxySchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`TRUST_PROXY: ${parsed.error.issues[0]?.message ?? 'invalid'} (got ${text}).`);
  }
  return parsed.data;
}

/**
 * Fastify's form. A bare number would trust no hop at all in this fastify version (it fails
 * closed), so a hop count becomes proxy-addr's predicate: trust the `hops` nearest addresses.
 */
export function fastifyTrustProxy(
  setting: TrustProxy,
): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}
