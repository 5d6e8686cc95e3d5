/**
 * The marketplace page (public, no sign-in): every product on the Marketplace, searchable and
 * sortable, each with its union's figures; researchers buy any of them with their wallet.
 */
import { useCallback, useMemo, useState } from 'preact/hooks';

import { PageTop } from '../ui/page-top.tsx';
import { Empty, ErrorNote, Loading } from '../ui/states.tsx';
import { WalletAccount } from '../ui/wallet-account.tsx';
import { shortAddress } from '../ui/when.tsx';
import { connectWallet, type ConnectedWallet } from '../wallet/wallet.ts';
import { ListingCard } from './listing-card.tsx';
import {
  searchListings,
  sortKeys,
  sortListings,
  type SortDirection,
  type SortKey,
} from './listing-view.ts';
import { useMarketplace, type LoadStep } from './use-marketplace.ts';

function progressText(progress: LoadStep, count: number): string {
  switch (progress.step) {
    case 'settings':
      return 'Finding the Marketplace…';
    case 'events':
      return `Reading the Marketplace’s products from the chain… ${Math.round(progress.fraction * 100)} %`;
    case 'unions':
      return `${count} ${count === 1 ? 'product' : 'products'}; asking their unions… ${progress.answered} of ${progress.total} answered`;
    case 'done':
      return `${count} ${count === 1 ? 'product' : 'products'} on the Marketplace.`;
  }
}

export function MarketplacePage() {
  const market = useMarketplace();
  const [query, setQuery] = useState('');
  const [sortKey, setSortKey] = useState<SortKey>('name');
  const [direction, setDirection] = useState<SortDirection>('ascending');
  const [buying, setBuying] = useState<string | null>(null);
  const [wallet, setWallet] = useState<ConnectedWallet | null>(null);
  const [connecting, setConnecting] = useState(false);
  const [walletError, setWalletError] = useState<unknown>(undefined);

  const { settings } = market;
  const connect = useCallback(async () => {
    if (!settings) return;
    setConnecting(true);
    setWalletError(undefined);
    try {
      setWallet(await connectWallet(BigInt(settings.chainId)));
    } catch (error) {
      setWalletError(error);
    } finally {
      setConnecting(false);
    }
  }, [settings]);

  const shown = useMemo(
    () => sortListings(searchListings(market.listings, query), sortKey, direction),
    [market.listings, query, sortKey, direction],
  );
  const loadingProducts =
    market.error === undefined &&
    (market.progress.step === 'settings' || market.progress.step === 'events');

  return (
    <>
      <PageTop app="marketplace">
        <div class="account">
          <WalletAccount
            wallet={wallet}
            connecting={connecting}
            disabled={!settings || connecting}
            onConnect={() => void connect()}
          />
        </div>
      </PageTop>
      <main id="main" tabIndex={-1}>
        <h1>Data products</h1>
        <p class="muted">
          Every product listed on the Marketplace
          {settings && (
            <>
              {' '}
              <span class="mono" title={settings.marketplace}>
                {shortAddress(settings.marketplace)}
              </span>{' '}
              (chain {settings.chainId})
            </>
          )}
          , with what each union’s own server says about it. Buying needs a wallet; browsing does
          not.
        </p>
        {walletError !== undefined && <ErrorNote error={walletError} />}
        <form
          class="market-controls"
          role="search"
          aria-label="Search and sort products"
          onSubmit={(event) => event.preventDefault()}
        >
          <label for="market-search">
            Search
            <input
              id="market-search"
              type="search"
              value={query}
              placeholder="name, description, category, address"
              onInput={(event) => setQuery((event.target as HTMLInputElement).value)}
            />
          </label>
          <label for="market-sort">
            Sort by
            <select
              id="market-sort"
              value={sortKey}
              onChange={(event) => setSortKey((event.target as HTMLSelectElement).value as SortKey)}
            >
              {sortKeys.map((k) => (
                <option key={k.key} value={k.key}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <label for="market-order">
            Order
            <select
              id="market-order"
              value={direction}
              onChange={(event) =>
                setDirection((event.target as HTMLSelectElement).value as SortDirection)
              }
            >
              <option value="ascending">Ascending</option>
              <option value="descending">Descending</option>
            </select>
          </label>
        </form>
        {market.error !== undefined ? (
          <ErrorNote error={market.error} onRetry={market.reload} />
        ) : (
          <p class="state" role="status" aria-live="polite" data-testid="market-progress">
            {progressText(market.progress, market.listings.length)}
            {query.trim() && market.listings.length > 0 && ` Showing ${shown.length} that match.`}
          </p>
        )}
        {loadingProducts && <Loading what="the products" />}
        {!loadingProducts && market.error === undefined && market.listings.length === 0 && (
          <Empty>No product is listed on this Marketplace yet.</Empty>
        )}
        {market.listings.length > 0 && shown.length === 0 && (
          <Empty>No product matches “{query}”.</Empty>
        )}
        {settings && shown.length > 0 && (
          <ul class="listings" aria-label="Products">
            {shown.map((listing) => (
              <ListingCard
                key={listing.product.productId}
                listing={listing}
                chainId={settings.chainId}
                marketplace={settings.marketplace}
                token={market.tokens[listing.product.token]}
                wallet={wallet}
                connecting={connecting}
                onConnect={() => void connect()}
                buying={buying === listing.product.productId}
                onToggleBuy={() =>
                  setBuying((open) =>
                    open === listing.product.productId ? null : listing.product.productId,
                  )
                }
              />
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
