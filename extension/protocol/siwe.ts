/**
 * Sign-In with Ethereum (EIP-4361) messages for the union's admin sign-in, built the same way by
 * every client (the console, the CLI, tests). The union parses them with the `siwe` package's
 * ABNF parser and checks domain, URI, chain id, nonce and times (union/domain/siwe-rules.ts).
 */
import { getAddress } from 'ethers';

export const ADMIN_SIGN_IN_STATEMENT = 'Sign in to administer this Crowdsell union.';

export interface SiweFields {
  /** The host (and port) serving the console, e.g. `127.0.0.1:8787`. */
  domain: string;
  address: string;
  /** The union's origin, e.g. `http://127.0.0.1:8787`. */
  uri: string;
  chainId: number;
  /** From `GET /v1/admin/nonce`. */
  nonce: string;
  issuedAt: Date;
  expirationTime?: Date;
  statement?: string;
}

/** The EIP-4361 text to sign with `personal_sign` (EIP-191). */
export function buildSiweMessage(fields: SiweFields): string {
  const lines = [
    `${fields.domain} wants you to sign in with your Ethereum account:`,
    getAddress(fields.address),
    '',
    fields.statement ?? ADMIN_SIGN_IN_STATEMENT,
    '',
    `URI: ${fields.uri}`,
    'Version: 1',
    `Chain ID: ${fields.chainId}`,
    `Nonce: ${fields.nonce}`,
    `Issued At: ${fields.issuedAt.toISOString()}`,
  ];
  if (fields.expirationTime) lines.push(`Expiration Time: ${fields.expirationTime.toISOString()}`);
  return lines.join('\n');
}
