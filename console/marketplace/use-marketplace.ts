/**
 * Loads the marketplace: settings, a chain reader, the Marketplace's events, each product's token,
 * then each union's server, a few at a time, each listing updated as its union answers. Progress
 * is reported at every step so the page can say what it is waiting for.
 */
import { BrowserProvider, JsonRpcProvider, type Eip1193Provider, type Provider } from 'ethers';
import { useCallback, useEffect, useState } from 'preact/hooks';

import { api } from '../api/client.ts';
import { readToken, type TokenDetails } from '../api/product.ts';
import { productsFromEvents } from './catalog.ts';
import { readMarketplaceEvents } from './chain-reader.ts';
import type { Listing } from './listing-view.ts';
import {
  settingsFromBuild,
  settingsFromUnion,
  SettingsError,
  type MarketplaceSettings,
} from './page-settings.ts';
import { probeUnion, type UnionProbe } from './union-probe.ts';

/** Union servers asked at the same time. */
const PROBE_CONCURRENCY = 4;

export type LoadStep =
  | { step: 'settings' }
  | { step: 'events'; fraction: number }
  | { step: 'unions'; answered: number; total: number }
  | { step: 'done' };

export interface MarketplaceState {
  settings: MarketplaceSettings | null;
  listings: Listing[];
  /** Token details by token address (lower case); null when the token could not be read. */
  tokens: Record<string, TokenDetails | null>;
  progress: LoadStep;
  error: unknown;
}

const initial: MarketplaceState = {
  settings: null,
  listings: [],
  tokens: {},
  progress: { step: 'settings' },
  error: undefined,
};

async function loadSettings(): Promise<MarketplaceSettings> {
  return settingsFromBuild(import.meta.env) ?? settingsFromUnion(await api<unknown>('/v1/union'));
}

/** The researcher's wallet when it is on the Marketplace's chain, else the public RPC URL. */
async function chainReader(settings: MarketplaceSettings): Promise<Provider> {
  const injected = (globalThis as { ethereum?: Eip1193Provider }).ethereum;
  if (injected) {
    const wallet = new BrowserProvider(injected);
    const { chainId } = await wallet.getNetwork();
    if (chainId === BigInt(settings.chainId)) return wallet;
  }
  if (settings.rpcUrl) {
    return new JsonRpcProvider(settings.rpcUrl, settings.chainId, {
      staticNetwork: true,
      batchStallTime: 0,
    });
  }
  throw new SettingsError(
    injected
      ? `Your wallet is on another chain: switch it to chain ${settings.chainId} to read the Marketplace, then reload.`
      : `Reading the Marketplace needs an Ethereum wallet in this browser (on chain ${settings.chainId}); this page has no public RPC URL to read it without one.`,
  );
}

function unprobed(listing: Listing): UnionProbe | undefined {
  return listing.product.metadataUrl
    ? undefined
    : { state: 'unreachable', url: '', reason: 'its product names no union URL' };
}

/** Runs `work` over `items`, at most `limit` at once. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function useMarketplace(): MarketplaceState & { reload: () => void } {
  const [state, setState] = useState<MarketplaceState>(initial);
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);

  useEffect(() => {
    let live = true;
    const update = (change: (old: MarketplaceState) => MarketplaceState) => {
      if (live) setState(change);
    };
    const run = async () => {
      setState(initial);
      const settings = await loadSettings();
      update((s) => ({ ...s, settings, progress: { step: 'events', fraction: 0 } }));
      const provider = await chainReader(settings);
      const events = await readMarketplaceEvents(
        provider,
        settings.marketplace,
        settings.fromBlock,
        (fraction) => update((s) => ({ ...s, progress: { step: 'events', fraction } })),
      );
      const listings = productsFromEvents(events).map((product) => {
        const listing: Listing = { product, probe: undefined };
        return { ...listing, probe: unprobed(listing) };
      });
      const toAsk = listings.filter((l) => l.probe === undefined);
      update((s) => ({
        ...s,
        listings,
        progress: { step: 'unions', answered: 0, total: toAsk.length },
      }));
      const tokenAddresses = [...new Set(listings.map((l) => l.product.token))];
      const tokens = Object.fromEntries(
        await Promise.all(
          tokenAddresses.map(async (address) => {
            try {
              return [address, await readToken(address, provider)] as const;
            } catch {
              return [address, null] as const;
            }
          }),
        ),
      );
      update((s) => ({ ...s, tokens }));
      let answered = 0;
      await eachLimited(toAsk, PROBE_CONCURRENCY, async ({ product }) => {
        const probe = await probeUnion(
          product.metadataUrl!,
          {
            chainId: settings.chainId,
            marketplace: settings.marketplace,
            productId: product.productId,
          },
          { fetch: globalThis.fetch.bind(globalThis) },
        );
        answered += 1;
        update((s) => ({
          ...s,
          listings: s.listings.map((l) =>
            l.product.productId === product.productId ? { ...l, probe } : l,
          ),
          progress: { step: 'unions', answered, total: toAsk.length },
        }));
      });
      update((s) => ({ ...s, progress: { step: 'done' } }));
    };
    run().catch((error: unknown) => update((s) => ({ ...s, error })));
    return () => {
      live = false;
    };
  }, [round]);

  return { ...state, reload };
}
