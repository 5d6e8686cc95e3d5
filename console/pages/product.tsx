/**
 * The researcher's product page (any address): what the union sells, its price, the datasheet and
 * the free sample; then the purchase and, for subscribers, the downloads and the live feed.
 */
import { useEffect, useState } from 'preact/hooks';

import {
  downloadFormats,
  formatPrice,
  loadDatasheet,
  loadProduct,
  readToken,
  sampleUrl,
  type ProductInfo,
  type TokenDetails,
} from '../api/product.ts';
import { Empty, ErrorNote, Loading } from '../ui/states.tsx';
import { useLoad } from '../ui/use-load.ts';
import { formatSpan } from '../ui/time.ts';
import { When } from '../ui/when.tsx';
import type { ConnectedWallet } from '../wallet/wallet.ts';
import { ProductBuy } from './product-buy.tsx';
import { ProductResearcher } from './product-researcher.tsx';

const DAY = 86_400n;

export interface ProductPageProps {
  wallet: ConnectedWallet | null;
  connecting: boolean;
  onConnect: () => void;
}

/** Token symbol and decimals, read through the connected wallet once there is one. */
function useToken(address: string | undefined, wallet: ConnectedWallet | null) {
  const [token, setToken] = useState<TokenDetails | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    if (!address || !wallet) return;
    let live = true;
    readToken(address, wallet.provider).then(
      (details) => live && setToken(details),
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [address, wallet]);
  return { token, error };
}

export function ProductPage({ wallet, connecting, onConnect }: ProductPageProps) {
  const product = useLoad(loadProduct);
  const info = product.data;
  const { token, error: tokenError } = useToken(info?.subscription?.token, wallet);
  const [refresh, setRefresh] = useState(0);

  if (product.loading && !info) return <Loading what="the data product" />;
  if (!info) return <ErrorNote error={product.error} onRetry={product.reload} />;

  return (
    <div class="product" data-testid="product-page">
      <section class="card" aria-labelledby="product-name">
        <h1 id="product-name">{info.name}</h1>
        <p>{info.description}</p>
        <ProductFacts info={info} token={token} />
        {tokenError !== undefined && <ErrorNote error={tokenError} />}
      </section>
      <ProductSample />
      {info.subscription ? (
        <>
          <ProductBuy
            subscription={info.subscription}
            wallet={wallet}
            token={token}
            connecting={connecting}
            onConnect={onConnect}
            onBought={() => setRefresh((n) => n + 1)}
          />
          {wallet && (
            <ProductResearcher
              info={info}
              subscription={info.subscription}
              wallet={wallet}
              refresh={refresh}
            />
          )}
        </>
      ) : (
        <section class="card">
          <h2>Subscriptions</h2>
          <Empty>This union sells no subscriptions yet (no marketplace is configured).</Empty>
        </section>
      )}
      <ProductDatasheet />
    </div>
  );
}

function ProductFacts({ info, token }: { info: ProductInfo; token: TokenDetails | null }) {
  const perSecond = info.subscription ? BigInt(info.subscription.pricePerSecond) : null;
  return (
    <dl class="product-facts">
      <div>
        <dt>Categories</dt>
        <dd>
          {info.categories.length === 0 ? (
            <span class="muted">none published yet</span>
          ) : (
            <ul class="chips" aria-label="Categories">
              {info.categories.map((c) => (
                <li key={c.id} title={`${c.key} (id ${c.id})`}>
                  {c.label}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
      <div>
        <dt>Epochs available</dt>
        <dd data-testid="product-epochs">
          {info.epochs.count === 0 ? (
            <span class="muted">none yet</span>
          ) : (
            <>
              {info.epochs.count} (<When iso={info.epochs.first} /> –{' '}
              <When iso={info.epochs.last} />)
            </>
          )}
        </dd>
      </div>
      {info.epochSeconds !== null && (
        <div>
          <dt>Epoch length</dt>
          <dd>{Math.round(info.epochSeconds / 3600)} h</dd>
        </div>
      )}
      {info.kThreshold !== null && (
        <div>
          <dt>k-anonymity threshold</dt>
          <dd>{info.kThreshold}</dd>
        </div>
      )}
      <div>
        <dt>Published</dt>
        <dd data-testid="product-publication">
          once, {formatSpan(info.publication.delaySeconds)} after the epoch ends
        </dd>
      </div>
      <div>
        <dt>Member counts</dt>
        <dd data-testid="product-counts">rounded to {info.publication.memberCountStep}s</dd>
      </div>
      {perSecond !== null && (
        <>
          <div>
            <dt>Price per day</dt>
            <dd data-testid="price-day">{formatPrice(perSecond * DAY, token)}</dd>
          </div>
          <div>
            <dt>Price per 30 days</dt>
            <dd data-testid="price-month">{formatPrice(perSecond * DAY * 30n, token)}</dd>
          </div>
        </>
      )}
      {info.subscription && !info.subscription.active && (
        <div>
          <dt>Status</dt>
          <dd class="warn">Not on sale right now</dd>
        </div>
      )}
    </dl>
  );
}

function ProductSample() {
  return (
    <section class="card" aria-labelledby="sample-title">
      <h2 id="sample-title">Free sample</h2>
      <p>Published rows of epochs older than 90 days, rolled up per month. No sign-in needed.</p>
      <ul class="downloads" aria-label="Sample downloads">
        {downloadFormats.map(({ format, label }) => (
          <li key={format}>
            <a href={sampleUrl(format)} download data-testid={`sample-${format}`}>
              Sample ({label})
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ProductDatasheet() {
  const sheet = useLoad(loadDatasheet);
  return (
    <section class="card" aria-labelledby="datasheet-title">
      <h2 id="datasheet-title">Datasheet</h2>
      {sheet.loading && sheet.data === undefined && <Loading what="the datasheet" />}
      {sheet.error !== undefined && <ErrorNote error={sheet.error} onRetry={sheet.reload} />}
      {sheet.data !== undefined &&
        (sheet.data.trim() === '' ? (
          <Empty>The datasheet is empty.</Empty>
        ) : (
          <details>
            <summary>Fields, units and method</summary>
            <pre class="datasheet" tabIndex={0} data-testid="datasheet">
              {sheet.data}
            </pre>
          </details>
        ))}
    </section>
  );
}
