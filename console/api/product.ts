/**
 * The researcher's side of the union API (docs/union-api.md "Data product") and the Marketplace
 * calls a purchase needs. Paid routes take `Authorization: Bearer <token>` from the researcher
 * sign-in; the token lives in sessionStorage (this tab only). A minimal human-readable ABI keeps
 * contract bytecode out of the bundle.
 */
import { Contract, type ContractRunner } from 'ethers';

import { formatAmount } from '../../extension/protocol/amounts.ts';
import { signSiweMessage } from '../wallet/session.ts';
import { priceAboveMaximumAbi, priceRiseOf } from './price-rise.ts';
import { walletErrorFrom, type ConnectedWallet, type TxStage } from '../wallet/wallet.ts';
import { api, ApiError } from './client.ts';

export type DownloadFormat = 'csv' | 'ndjson' | 'parquet';
export const downloadFormats: readonly { format: DownloadFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'ndjson', label: 'NDJSON' },
  { format: 'parquet', label: 'Parquet' },
];

export interface ProductCategory {
  id: number;
  key: string;
  label: string;
}

export interface ProductInfo {
  name: string;
  description: string;
  categories: ProductCategory[];
  epochSeconds: number | null;
  kThreshold: number | null;
  /** Each epoch is published once, this long after it ends; member counts are rounded. */
  publication: { delaySeconds: number; memberCountStep: number };
  epochs: { count: number; first: string | null; last: string | null };
  formats: string[];
  subscription: {
    chainId: number;
    marketplace: string;
    productId: string;
    pricePerSecond: string;
    token: string;
    active: boolean;
  } | null;
}

export interface ResearcherSession {
  token: string;
  address: string;
  expiresAt: string;
}

export const RESEARCHER_SIGN_IN_STATEMENT = 'Sign in to download Crowdsell aggregates.';

export const marketplaceAbi = [
  'function buy(bytes32 productId, uint256 durationSeconds, uint256 maxPrice)',
  priceAboveMaximumAbi,
  'function subscriptionEnd(bytes32 productId, address buyer) view returns (uint256)',
] as const;

export const tokenAbi = [
  'function approve(address spender, uint256 amount) returns (bool)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'function balanceOf(address account) view returns (uint256)',
  'function decimals() view returns (uint8)',
  'function symbol() view returns (string)',
] as const;

export function loadProduct(): Promise<ProductInfo> {
  return api<ProductInfo>('/v1/product');
}

export async function loadDatasheet(): Promise<string> {
  const response = await fetch('/v1/product/datasheet?format=md');
  if (!response.ok)
    throw new ApiError(response.status, 'DATASHEET', 'The datasheet is unavailable.');
  return response.text();
}

export function sampleUrl(format: DownloadFormat): string {
  return `/v1/product/sample?format=${format}`;
}

// ---------- researcher session (sessionStorage, this tab only) ----------

const storageKey = 'crowdsell.researcher';

export function storedSession(address: string): ResearcherSession | null {
  try {
    const raw = sessionStorage.getItem(storageKey);
    if (!raw) return null;
    const session = JSON.parse(raw) as ResearcherSession;
    if (session.address.toLowerCase() !== address.toLowerCase()) return null;
    if (Date.parse(session.expiresAt) <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

export function forgetSession(): void {
  try {
    sessionStorage.removeItem(storageKey);
  } catch {
    // storage unavailable: nothing to forget
  }
}

export async function researcherSignIn(
  wallet: ConnectedWallet,
  chainId: number,
): Promise<ResearcherSession> {
  const body = await signSiweMessage(
    wallet,
    chainId,
    '/v1/product/nonce',
    RESEARCHER_SIGN_IN_STATEMENT,
  );
  const session = await api<ResearcherSession>('/v1/product/session', {
    method: 'POST',
    body,
  });
  try {
    sessionStorage.setItem(storageKey, JSON.stringify(session));
  } catch {
    // storage unavailable: the session stays in memory only
  }
  return session;
}

// ---------- paid downloads and the live feed ----------

async function errorFrom(response: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string } } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }
  return new ApiError(
    response.status,
    body?.error?.code ?? `HTTP_${response.status}`,
    body?.error?.message ?? `The union answered ${response.status}.`,
  );
}

export interface AggregatesQuery {
  from?: string;
  to?: string;
  categories?: number[];
  format: DownloadFormat | 'json';
}

export function aggregatesPath(query: AggregatesQuery): string {
  const params = new URLSearchParams();
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.categories && query.categories.length > 0)
    params.set('categories', query.categories.join(','));
  params.set('format', query.format);
  return `/v1/product/aggregates?${params.toString()}`;
}

export async function downloadAggregates(
  token: string,
  query: AggregatesQuery,
): Promise<{ blob: Blob; filename: string }> {
  let response: Response;
  try {
    response = await fetch(aggregatesPath(query), {
      headers: { authorization: `Bearer ${token}` },
    });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'The union server cannot be reached; check that it is running.',
    );
  }
  if (!response.ok) throw await errorFrom(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const named = /filename="([^"]+)"/.exec(disposition)?.[1];
  return { blob: await response.blob(), filename: named ?? `crowdsell-aggregates.${query.format}` };
}

export interface EpochEvent {
  id: string;
  epochStart: string;
  epochSeconds: number;
  rows: unknown[];
}

export type StreamEvent = { type: 'epoch'; epoch: EpochEvent } | { type: 'expired' };

/** Parses one SSE block (lines without the blank separator) into an event, or null. */
export function parseSseBlock(block: string): { event: string; id?: string; data: string } | null {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return null;
  return id === undefined ? { event, data: data.join('\n') } : { event, id, data: data.join('\n') };
}

/**
 * GET /v1/product/stream needs the Bearer header, which EventSource cannot send: read it with
 * fetch and a ReadableStream instead. Resolves when the stream ends or `signal` aborts.
 */
export async function followStream(
  token: string,
  onEvent: (event: StreamEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch('/v1/product/stream', {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal,
  });
  if (!response.ok) throw await errorFrom(response);
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let cut = buffer.indexOf('\n\n');
    while (cut !== -1) {
      const parsed = parseSseBlock(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
      cut = buffer.indexOf('\n\n');
      if (!parsed) continue;
      if (parsed.event === 'expired') onEvent({ type: 'expired' });
      else if (parsed.event === 'epoch') {
        const epoch = JSON.parse(parsed.data) as Omit<EpochEvent, 'id'>;
        onEvent({ type: 'epoch', epoch: { ...epoch, id: parsed.id ?? epoch.epochStart } });
      }
    }
  }
}

// ---------- chain ----------

export interface TokenDetails {
  symbol: string;
  decimals: number;
}

/** A token amount with the token's decimals and symbol, or in base units until they are known. */
export function formatPrice(baseUnits: bigint, token: TokenDetails | null): string {
  return token ? formatAmount(baseUnits, token) : `${baseUnits.toString()} base units`;
}

function tokenContract(address: string, runner: ContractRunner): Contract {
  return new Contract(address, tokenAbi, runner);
}

function marketplaceContract(address: string, runner: ContractRunner): Contract {
  return new Contract(address, marketplaceAbi, runner);
}

export async function readToken(address: string, runner: ContractRunner): Promise<TokenDetails> {
  const token = tokenContract(address, runner);
  const [symbol, decimals] = (await Promise.all([token.symbol!(), token.decimals!()])) as [
    string,
    bigint,
  ];
  return { symbol, decimals: Number(decimals) };
}

export async function readSubscriptionEnd(
  wallet: ConnectedWallet,
  marketplace: string,
  productId: string,
): Promise<number> {
  const end = (await marketplaceContract(marketplace, wallet.provider).subscriptionEnd!(
    productId,
    wallet.address,
  )) as bigint;
  return Number(end);
}

export interface BuyProgress {
  step: 'approve' | 'buy';
  stage: TxStage;
  hash?: string;
}

export class BuyError extends Error {
  constructor(
    readonly code: 'INSUFFICIENT_BALANCE' | 'PRICE_CHANGED' | 'REJECTED' | 'FAILED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks the balance, approves when the allowance is short, then buys `seconds` for at most the
 * cost shown (`maxPrice`): a price raised in the meantime makes the purchase fail, not cost more.
 */
export async function buySubscription(
  wallet: ConnectedWallet,
  subscription: NonNullable<ProductInfo['subscription']>,
  seconds: bigint,
  onProgress: (progress: BuyProgress) => void,
  formatCost: (amount: bigint) => string,
): Promise<void> {
  const cost = seconds * BigInt(subscription.pricePerSecond);
  const erc20 = tokenContract(subscription.token, wallet.signer);
  const balance = (await erc20.balanceOf!(wallet.address)) as bigint;
  if (balance < cost) {
    throw new BuyError(
      'INSUFFICIENT_BALANCE',
      `Insufficient balance: this costs ${formatCost(cost)} and the wallet holds ${formatCost(balance)}.`,
    );
  }
  const allowance = (await erc20.allowance!(wallet.address, subscription.marketplace)) as bigint;
  const noun = (step: BuyProgress['step']) => (step === 'approve' ? 'approval' : 'purchase');
  const send = async (step: BuyProgress['step'], run: () => Promise<unknown>) => {
    onProgress({ step, stage: 'wallet' });
    let tx: { hash: string; wait: () => Promise<{ status?: number | null } | null> };
    try {
      tx = (await run()) as typeof tx;
    } catch (error) {
      const rise = priceRiseOf(error);
      if (rise) {
        throw new BuyError(
          'PRICE_CHANGED',
          `The price changed since it was shown: this now costs ${formatCost(rise.price)} instead of ${formatCost(rise.maxPrice)}. Nothing was charged; reload the page to see the new price.`,
        );
      }
      const wrapped = walletErrorFrom(
        error,
        step === 'approve' ? 'approve the token spending' : 'buy the subscription',
      );
      throw new BuyError(wrapped.code === 'REJECTED' ? 'REJECTED' : 'FAILED', wrapped.message);
    }
    onProgress({ step, stage: 'pending', hash: tx.hash });
    let receipt: { status?: number | null } | null;
    try {
      receipt = await tx.wait();
    } catch (error) {
      throw new BuyError('FAILED', walletErrorFrom(error, `complete the ${noun(step)}`).message);
    }
    if (receipt && receipt.status === 0)
      throw new BuyError('FAILED', `The ${noun(step)} transaction ${tx.hash} reverted.`);
    onProgress({ step, stage: 'mined', hash: tx.hash });
  };
  if (allowance < cost) await send('approve', () => erc20.approve!(subscription.marketplace, cost));
  const market = marketplaceContract(subscription.marketplace, wallet.signer);
  await send('buy', () => market.buy!(subscription.productId, seconds, cost));
}
