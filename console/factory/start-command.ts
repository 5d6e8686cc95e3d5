/**
 * What to run once a union exists on chain (pure): the union server's environment for
 * `npm run union -- serve` (union/config/env.ts, docs/operations.md) and the extension's build
 * settings (the `VITE_*` variables the extension reads, union/local/extension-build.ts). Only the
 * operator's key and the node URL are left for the admin to fill in: they never pass through the
 * browser.
 */

export interface CreatedUnionFacts {
  chainId: number;
  union: string;
  productId: string;
  admin: string;
  operator: string;
  token: string;
  marketplace: string;
  factory: string;
  /** Block of the creation: where the revenue watcher starts. */
  blockNumber: number;
  unionUrl: string;
  name: string;
  description: string;
}

export const RPC_URL_PLACEHOLDER = '<your node’s JSON-RPC URL>';
export const OPERATOR_KEY_PLACEHOLDER = '<the operator’s private key>';

/** POSIX shell single quotes: safe for any text, a quote becomes '\''. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:@,+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The union server's environment, in the order docs/operations.md lists it. */
export function serverEnv(facts: CreatedUnionFacts): [string, string][] {
  const url = new URL(facts.unionUrl);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  const env: [string, string][] = [
    ['CHAIN_ID', String(facts.chainId)],
    ['DATA_UNION_ADDRESS', facts.union],
    ['ADMIN_ADDRESS', facts.admin],
    ['OPERATOR_ADDRESS', facts.operator],
    ['TOKEN_ADDRESS', facts.token],
    ['MARKETPLACE_ADDRESS', facts.marketplace],
    ['FACTORY_ADDRESS', facts.factory],
    ['PRODUCT_ID', facts.productId],
    ['START_BLOCK', String(facts.blockNumber)],
    ['PUBLIC_URL', url.origin],
    ...(loopback && url.port ? ([['PORT', url.port]] as [string, string][]) : []),
    ['PRODUCT_NAME', facts.name],
    ...(facts.description
      ? ([['PRODUCT_DESCRIPTION', facts.description]] as [string, string][])
      : []),
    ['RPC_URL', RPC_URL_PLACEHOLDER],
    ['OPERATOR_KEY', OPERATOR_KEY_PLACEHOLDER],
  ];
  return env;
}

/** The extension's build settings for this union. */
export function extensionEnv(facts: CreatedUnionFacts): [string, string][] {
  return [
    ['VITE_UNION_URL', new URL(facts.unionUrl).origin],
    ['VITE_CHAIN_ID', String(facts.chainId)],
    ['VITE_DATA_UNION_ADDRESS', facts.union],
    ['VITE_ADMIN_ADDRESS', facts.admin],
  ];
}

function command(env: [string, string][], run: string): string {
  const quoted = (value: string) =>
    value === RPC_URL_PLACEHOLDER || value === OPERATOR_KEY_PLACEHOLDER ? value : shellQuote(value);
  return [...env.map(([name, value]) => `${name}=${quoted(value)} \\`), run].join('\n');
}

export function serveCommand(facts: CreatedUnionFacts): string {
  return command(serverEnv(facts), 'npm run union -- serve');
}

export function extensionBuildCommand(facts: CreatedUnionFacts): string {
  return command(extensionEnv(facts), 'npm run build');
}

/**
 * Reads `NAME=value \` lines back into pairs (shell single quotes undone): what a test does with
 * the command the page shows, to start exactly that server.
 */
export function parseEnvCommand(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*?)(?: \\)?$/.exec(line);
    if (!match) continue;
    const [, name, raw = ''] = match;
    env[name!] = raw.startsWith("'") ? raw.slice(1, -1).replace(/'\\''/g, "'") : raw;
  }
  return env;
}
