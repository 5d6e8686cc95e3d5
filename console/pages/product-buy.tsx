/**
 * Buying a subscription: choose days, then (if the allowance is short) `approve`, then
 * `Marketplace.buy(productId, seconds, maxPrice)` with the cost shown as `maxPrice` — each
 * transaction with its own progress line.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

import {
  buySubscription,
  formatPrice,
  type BuyProgress,
  type ProductInfo,
  type TokenDetails,
} from '../api/product.ts';
import { ErrorNote } from '../ui/states.tsx';
import { TxProgress } from '../ui/tx-step.tsx';
import { shortAddress } from '../ui/when.tsx';
import type { ConnectedWallet } from '../wallet/wallet.ts';

const DAY = 86_400;
const MAX_DAYS = 3650;

const stepText: Record<BuyProgress['step'], string> = {
  approve: 'Approve the token spend',
  buy: 'Buy the subscription',
};

export interface ProductBuyProps {
  subscription: NonNullable<ProductInfo['subscription']>;
  wallet: ConnectedWallet | null;
  token: TokenDetails | null;
  connecting: boolean;
  onConnect: () => void;
  onBought: () => void;
  /** What to say once bought (default: sign in below to download). */
  doneNote?: ComponentChildren;
}

export function ProductBuy({
  subscription,
  wallet,
  token,
  connecting,
  onConnect,
  onBought,
  doneNote = 'Subscription bought. Sign in below to download the aggregates.',
}: ProductBuyProps) {
  const [daysText, setDaysText] = useState('30');
  const [progress, setProgress] = useState<Partial<Record<BuyProgress['step'], BuyProgress>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);

  const days = /^\d+$/.test(daysText.trim()) ? Number(daysText.trim()) : NaN;
  const daysValid = Number.isInteger(days) && days >= 1 && days <= MAX_DAYS;
  const cost = daysValid ? BigInt(days * DAY) * BigInt(subscription.pricePerSecond) : null;

  const buy = async () => {
    if (!wallet || !daysValid) return;
    setBusy(true);
    setError(undefined);
    setDone(false);
    setProgress({});
    try {
      await buySubscription(
        wallet,
        subscription,
        BigInt(days * DAY),
        (p) => setProgress((old) => ({ ...old, [p.step]: p })),
        (amount) => formatPrice(amount, token),
      );
      setDone(true);
      onBought();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const steps = (['approve', 'buy'] as const).filter((s) => progress[s] !== undefined);

  return (
    <section class="card" aria-labelledby="buy-title">
      <h2 id="buy-title">Buy a subscription</h2>
      {!subscription.active && (
        <p class="warn">This product is not on sale right now; purchases will be refused.</p>
      )}
      <form
        class="buy-form"
        onSubmit={(event) => {
          event.preventDefault();
          void buy();
        }}
      >
        <label for="buy-days">
          Days
          <input
            id="buy-days"
            type="number"
            min={1}
            max={MAX_DAYS}
            step={1}
            inputMode="numeric"
            value={daysText}
            aria-invalid={!daysValid}
            aria-describedby="buy-cost"
            onInput={(event) => setDaysText((event.target as HTMLInputElement).value)}
            disabled={busy}
          />
        </label>
        <p id="buy-cost" data-testid="buy-cost" aria-live="polite">
          {cost === null
            ? `Enter a whole number of days from 1 to ${MAX_DAYS}.`
            : `Cost: ${formatPrice(cost, token)}`}
        </p>
        {wallet ? (
          <div class="actions">
            <span class="muted">
              Paying from <span title={wallet.address}>{shortAddress(wallet.address)}</span>
            </span>
            <button type="submit" class="primary" disabled={busy || !daysValid}>
              {busy ? 'Buying…' : 'Buy'}
            </button>
          </div>
        ) : (
          <div class="actions">
            <button type="button" class="primary" disabled={connecting} onClick={onConnect}>
              {connecting ? 'Connecting…' : 'Connect wallet to buy'}
            </button>
          </div>
        )}
      </form>
      {steps.length > 0 && (
        <TxProgress
          label="Transactions"
          steps={steps.map((step) => ({
            testId: `tx-${step}`,
            label: stepText[step],
            stage: progress[step]!.stage,
            hash: progress[step]!.hash,
          }))}
        />
      )}
      {done && (
        <p class="notice" role="status" data-testid="buy-done">
          {doneNote}
        </p>
      )}
      {error !== undefined && <ErrorNote error={error} />}
    </section>
  );
}
