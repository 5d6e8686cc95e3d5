/**
 * The checks on a parsed Sign-In with Ethereum message that are not the signature itself: it is
 * for this union (domain, URI origin, chain id), recent (issued within `maxAgeMs`, not from the
 * future), not expired or not-yet-valid, and from the admin. Pure: the caller passes the clock.
 */
import { CrowdsellError } from '../../extension/protocol/errors.ts';

export interface ParsedSiwe {
  domain: string;
  address: string;
  uri: string;
  version: string;
  chainId: number;
  nonce: string;
  issuedAt?: string | undefined;
  expirationTime?: string | undefined;
  notBefore?: string | undefined;
}

export interface SiweExpectations {
  domain: string;
  origin: string;
  chainId: number;
  admin: string;
  nowMs: number;
  maxAgeMs: number;
  skewMs: number;
}

const time = (iso: string | undefined): number | null => {
  if (iso === undefined) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms))
    throw new CrowdsellError('SIWE_INVALID', 'The sign-in message has an invalid time.');
  return ms;
};

/** Returns when the message itself expires (null if it does not say). */
export function checkSiweFields(message: ParsedSiwe, expect: SiweExpectations): number | null {
  if (message.domain !== expect.domain) {
    throw new CrowdsellError(
      'SIWE_WRONG_DOMAIN',
      `The sign-in message is for ${message.domain}, not ${expect.domain}.`,
    );
  }
  let origin: string;
  try {
    origin = new URL(message.uri).origin;
  } catch {
    throw new CrowdsellError('SIWE_WRONG_URI', 'The sign-in message URI is not a URL.');
  }
  if (origin !== expect.origin) {
    throw new CrowdsellError(
      'SIWE_WRONG_URI',
      `The sign-in message URI must be on ${expect.origin}.`,
    );
  }
  if (message.version !== '1') {
    throw new CrowdsellError('SIWE_INVALID', 'Only version 1 sign-in messages are understood.');
  }
  if (message.chainId !== expect.chainId) {
    throw new CrowdsellError(
      'SIWE_WRONG_CHAIN',
      `The sign-in message is for chain ${message.chainId}, not ${expect.chainId}.`,
    );
  }
  const issuedAt = time(message.issuedAt);
  if (issuedAt === null) {
    throw new CrowdsellError('SIWE_INVALID', 'The sign-in message must say when it was issued.');
  }
  if (issuedAt > expect.nowMs + expect.skewMs || issuedAt < expect.nowMs - expect.maxAgeMs) {
    throw new CrowdsellError(
      'SIWE_EXPIRED',
      'The sign-in message was not issued within the last few minutes.',
    );
  }
  const expiresAt = time(message.expirationTime);
  if (expiresAt !== null && expiresAt <= expect.nowMs) {
    throw new CrowdsellError('SIWE_EXPIRED', 'The sign-in message has expired.');
  }
  const notBefore = time(message.notBefore);
  if (notBefore !== null && notBefore > expect.nowMs + expect.skewMs) {
    throw new CrowdsellError('SIWE_EXPIRED', 'The sign-in message is not valid yet.');
  }
  if (message.address.toLowerCase() !== expect.admin.toLowerCase()) {
    throw new CrowdsellError('NOT_ADMIN', 'Only the union’s admin key can sign in here.');
  }
  return expiresAt;
}
