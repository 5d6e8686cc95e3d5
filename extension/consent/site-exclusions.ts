/**
 * Per-site exclusions chosen by the member. They stay on the device (never in any report or
 * request). An exclusion of `example.com` also covers `shop.example.com`.
 */
import { CrowdsellError } from '../protocol/errors.ts';

/**
 * Normalises what the member typed ("Shop.Example.com", "https://shop.example.com/x") to a
 * lowercase ASCII (punycode) host name without a leading "www.".
 */
export function normaliseSite(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname;
  } catch {
    throw new CrowdsellError('INVALID_SITE', `“${input}” is not a web site address.`);
  }
  host = host.replace(/\.$/, '').replace(/^www\./, '');
  if (!host.includes('.') && host !== 'localhost') {
    throw new CrowdsellError('INVALID_SITE', `“${input}” is not a web site address.`);
  }
  return host;
}

/** Whether `hostname` is an excluded site or a subdomain of one. */
export function isExcluded(hostname: string, excluded: ReadonlySet<string>): boolean {
  if (excluded.size === 0) return false;
  let host = hostname.toLowerCase().replace(/\.$/, '');
  for (;;) {
    if (excluded.has(host)) return true;
    const dot = host.indexOf('.');
    if (dot < 0) return false;
    host = host.slice(dot + 1);
  }
}
