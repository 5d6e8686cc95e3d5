/**
 * How many blocks a transfer (and an operator transaction) needs on top of it before the union
 * counts it, per chain id. Each chain gets a default (what the union uses when nothing is set)
 * and a minimum (below it the union refuses to start unless the operator explicitly accepts the
 * reorg risk). The numbers and their reasons are in docs/operations.md §2; keep both in step.
 */

export interface ChainConfirmationRule {
  /** Human name, for error sentences and the docs. */
  readonly name: string;
  readonly defaultConfirmations: number;
  readonly minimumConfirmations: number;
  /** A development chain on the operator's own machine: no reorgs, one block is enough. */
  readonly local?: true;
}

const local = (name: string): ChainConfirmationRule => ({
  name,
  defaultConfirmations: 1,
  minimumConfirmations: 1,
  local: true,
});
const rule = (name: string, defaults: number, minimum: number): ChainConfirmationRule => ({
  name,
  defaultConfirmations: defaults,
  minimumConfirmations: minimum,
});

/** Known chains. Anything else gets UNKNOWN_CHAIN (Ethereum mainnet's numbers). */
export const CHAIN_CONFIRMATIONS: ReadonlyMap<number, ChainConfirmationRule> = new Map([
  [1, rule('Ethereum mainnet', 64, 12)],
  [11155111, rule('Sepolia', 12, 3)],
  [17000, rule('Holesky', 12, 3)],
  [560048, rule('Hoodi', 12, 3)],
  [137, rule('Polygon PoS', 256, 64)],
  [80002, rule('Polygon Amoy', 64, 16)],
  [100, rule('Gnosis Chain', 32, 12)],
  [10200, rule('Gnosis Chiado', 12, 3)],
  [42161, rule('Arbitrum One', 240, 40)],
  [421614, rule('Arbitrum Sepolia', 40, 10)],
  [10, rule('OP Mainnet', 60, 10)],
  [11155420, rule('OP Sepolia', 10, 3)],
  [8453, rule('Base', 60, 10)],
  [84532, rule('Base Sepolia', 10, 3)],
  [31337, local('local development chain (Hardhat)')],
  [1337, local('local development chain')],
]);

export const UNKNOWN_CHAIN: ChainConfirmationRule = rule('an unlisted chain', 64, 12);

export function confirmationRule(chainId: number): ChainConfirmationRule {
  return CHAIN_CONFIRMATIONS.get(chainId) ?? UNKNOWN_CHAIN;
}

/**
 * The confirmations to use: the configured number, or the chain's default. Throws a sentence
 * when the configured number is below the chain's minimum and `allowFewer` is not set.
 */
export function resolveConfirmations(
  chainId: number,
  configured: number | undefined,
  allowFewer: boolean,
): number {
  const r = confirmationRule(chainId);
  if (configured === undefined) return r.defaultConfirmations;
  if (configured < r.minimumConfirmations && !allowFewer) {
    throw new Error(
      `Invalid union option chain.confirmations: ${r.name} (chain id ${chainId}) needs at least ` +
        `${r.minimumConfirmations} confirmations before revenue counts, but ${configured} ` +
        `${configured === 1 ? 'was' : 'were'} set (defaults and minimums: docs/operations.md). ` +
        'Raise CONFIRMATIONS, or accept the reorg risk explicitly with ' +
        'ALLOW_FEWER_CONFIRMATIONS=true (option chain.allowFewerConfirmations).',
    );
  }
  return configured;
}
