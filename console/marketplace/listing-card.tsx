/**
 * One product on the marketplace page: its price per day, its union and what the union's server
 * says about it (members, description, datasheet, public sample), or why that server is
 * unreachable; and the researcher's purchase, through the console's own buy flow.
 */
import { formatPrice, type TokenDetails } from '../api/product.ts';
import { ProductBuy } from '../pages/product-buy.tsx';
import { shortAddress } from '../ui/when.tsx';
import type { ConnectedWallet } from '../wallet/wallet.ts';
import { pricePerDay } from './catalog.ts';
import { displayName, type Listing } from './listing-view.ts';
import type { SampleCell, UnionFacts } from './union-probe.ts';

export interface ListingCardProps {
  listing: Listing;
  chainId: number;
  marketplace: string;
  token: TokenDetails | null | undefined;
  wallet: ConnectedWallet | null;
  connecting: boolean;
  onConnect: () => void;
  /** The product whose purchase form is open (one at a time). */
  buying: boolean;
  onToggleBuy: () => void;
}

function cellText(cell: SampleCell): string {
  return cell === null ? '' : String(cell);
}

function SamplePreview({ facts }: { facts: UnionFacts }) {
  const { sample } = facts;
  if ('problem' in sample) return <p class="muted">Public sample unavailable: {sample.problem}.</p>;
  if (sample.total === 0)
    return <p class="muted">The public sample is empty (no published epoch is old enough yet).</p>;
  const columns = Object.keys(sample.preview[0] ?? {});
  return (
    <>
      <p class="muted">
        {sample.total} rows per {sample.period}; the first {sample.preview.length} below.{' '}
        <a href={`${facts.url}/v1/product/sample?format=csv&period=${sample.period}`}>
          Download CSV
        </a>
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sample.preview.map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>{cellText(row[c] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function UnionDetails({ facts }: { facts: UnionFacts }) {
  return (
    <>
      {facts.description && <p>{facts.description}</p>}
      {facts.categories.length > 0 && (
        <p class="muted">Categories: {facts.categories.join(', ')}</p>
      )}
      <details>
        <summary>Datasheet</summary>
        {'text' in facts.datasheet ? (
          <pre class="datasheet">{facts.datasheet.text}</pre>
        ) : (
          <p class="muted">Datasheet unavailable: {facts.datasheet.problem}.</p>
        )}
      </details>
      <details>
        <summary>Public sample</summary>
        <SamplePreview facts={facts} />
      </details>
    </>
  );
}

export function ListingCard(props: ListingCardProps) {
  const { listing, token } = props;
  const { product, probe } = listing;
  const id = product.productId.slice(2, 14);
  const price = formatPrice(pricePerDay(product), token ?? null);
  const members = probe?.state === 'reachable' ? probe.members : null;
  const consoleUrl = probe?.state === 'reachable' ? `${probe.url}/#/product` : null;
  return (
    <li>
      <article
        class="card listing"
        aria-labelledby={`listing-${id}`}
        data-testid="listing"
        data-product-id={product.productId}
      >
        <h2 id={`listing-${id}`}>{displayName(listing)}</h2>
        <p class="badges">
          {product.active ? (
            <span class="badge badge-active">On sale</span>
          ) : (
            <span class="badge">Not on sale</span>
          )}
          {probe === undefined && (
            <span class="badge" role="status">
              Asking its union…
            </span>
          )}
          {probe?.state === 'unreachable' && (
            <span class="badge badge-removed" data-testid="unreachable">
              Unreachable
            </span>
          )}
        </p>
        <dl class="product-facts">
          <div>
            <dt>Price per day</dt>
            <dd data-testid="listing-price">{price}</dd>
          </div>
          <div>
            <dt>Members</dt>
            <dd data-testid="listing-members">{members === null ? '—' : members}</dd>
          </div>
          <div>
            <dt>Revenue</dt>
            <dd data-testid="listing-revenue">
              {formatPrice(product.revenue, token ?? null)}{' '}
              <span class="muted">
                ({product.purchases} {product.purchases === 1 ? 'purchase' : 'purchases'})
              </span>
            </dd>
          </div>
          <div>
            <dt>Union</dt>
            <dd>
              <span class="mono" title={product.beneficiary}>
                {shortAddress(product.beneficiary)}
              </span>
              {product.metadataUrl && (
                <>
                  {' · '}
                  {consoleUrl ? (
                    <a href={consoleUrl}>{probe?.url}</a>
                  ) : (
                    <span class="mono">{product.metadataUrl}</span>
                  )}
                </>
              )}
            </dd>
          </div>
        </dl>
        {probe?.state === 'unreachable' && (
          <p class="warn" data-testid="unreachable-reason">
            Its union’s server is unreachable: {probe.reason}. The product can still be bought on
            chain; its data is downloaded from that server.
          </p>
        )}
        {probe?.state === 'reachable' && <UnionDetails facts={probe} />}
        <div class="actions">
          <button
            type="button"
            aria-expanded={props.buying}
            aria-controls={props.buying ? `buy-${id}` : undefined}
            onClick={props.onToggleBuy}
          >
            {props.buying ? 'Close' : `Buy ${displayName(listing)}`}
          </button>
        </div>
        {props.buying && (
          <div id={`buy-${id}`}>
            <ProductBuy
              subscription={{
                chainId: props.chainId,
                marketplace: props.marketplace,
                productId: product.productId,
                pricePerSecond: product.pricePerSecond.toString(),
                token: product.token,
                active: product.active,
              }}
              wallet={props.wallet}
              token={token ?? null}
              connecting={props.connecting}
              onConnect={props.onConnect}
              // The listing's revenue counts the purchase at the next load of the page.
              onBought={() => {}}
              doneNote={
                consoleUrl ? (
                  <>
                    Subscription bought. Sign in at{' '}
                    <a href={consoleUrl}>the union’s product page</a> to download the aggregates.
                  </>
                ) : (
                  'Subscription bought. Download the aggregates from the union’s server once it answers.'
                )
              }
            />
          </div>
        )}
      </article>
    </li>
  );
}
