/**
 * Withdraw everything withdrawable to any address: the recipient is checked here (checksum, own key
 * address, token contract) and again in the service worker, which signs the `WithdrawAll`; the
 * union relays it. After sending, the transaction is followed until it is confirmed or failed.
 */
import { useEffect, useState } from 'preact/hooks';

import { formatAmount, type TokenInfo } from '../../extension/protocol/amounts.ts';
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { call } from '../client.ts';
import { ErrorNotice } from '../components/async-view.tsx';
import { errorText, t } from '../lib/i18n.ts';
import {
  checkRecipientInput,
  isFinalStatus,
  withdrawability,
  withdrawalStatusKey,
} from '../lib/withdraw.ts';

/** How often a sent withdrawal is asked about. */
const POLL_MS = 4000;

type Withdrawal = ResultOf<'withdraw'>;

interface Props {
  withdrawable: string;
  /** The smallest payout the union relays (unknown for older unions). */
  minWithdrawal: string | undefined;
  token: TokenInfo & { address: string };
  /** Called when a withdrawal reached its end, so that the amounts are read again. */
  onFinished: () => void;
}

export function WithdrawForm({ withdrawable, minWithdrawal, token, onFinished }: Props) {
  const [member, setMember] = useState<string | null>(null);
  const [recipient, setRecipient] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [withdrawal, setWithdrawal] = useState<Withdrawal | null>(null);

  useEffect(() => {
    call('keyAddress', {})
      .then(({ address }) => setMember(address))
      .catch(() => setMember(null));
  }, []);

  const pendingId = withdrawal && !isFinalStatus(withdrawal.status) ? withdrawal.id : null;
  useEffect(() => {
    if (pendingId === null) return;
    let current = true;
    const timer = setInterval(() => {
      call('withdrawalStatus', { id: pendingId })
        .then((next) => {
          if (!current) return;
          setWithdrawal(next);
          if (isFinalStatus(next.status)) onFinished();
        })
        .catch((caught: unknown) => current && setError(errorText(caught)));
    }, POLL_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [pendingId]);

  const check = checkRecipientInput(recipient, { member, token: token.address });
  const state = withdrawability(withdrawable, minWithdrawal);
  const nothing = state !== 'ready';
  // Every digit: rounded, a minimum could read as reached when it is not.
  const exact = (amount: string) => formatAmount(amount, token, token.decimals);

  const submit = async (event: Event) => {
    event.preventDefault();
    setTouched(true);
    if (check.kind !== 'valid' || nothing) return;
    setBusy(true);
    setError(null);
    try {
      // The amount shown above: the signed request never accepts a smaller payout.
      setWithdrawal(
        await call('withdraw', { recipient: check.address, shownAmount: withdrawable }),
      );
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  if (withdrawal) {
    const final = isFinalStatus(withdrawal.status);
    return (
      <div class="stack" data-testid="withdraw-progress">
        <h3>{t('withdrawTitle')}</h3>
        <p role="status" aria-live="polite">
          {t(withdrawalStatusKey(withdrawal.status))}
        </p>
        {withdrawal.txHash && (
          <p class="small mono" data-testid="withdraw-tx">
            {t('withdrawTxHash', withdrawal.txHash)}
          </p>
        )}
        {error && <ErrorNotice message={error} />}
        {final && (
          <button
            type="button"
            onClick={() => {
              setWithdrawal(null);
              setError(null);
            }}
          >
            {t('withdrawAgain')}
          </button>
        )}
      </div>
    );
  }

  const problem = check.kind === 'invalid' && (touched || recipient.trim().length >= 42);
  return (
    <form class="stack" noValidate onSubmit={(event) => void submit(event)}>
      <h3>{t('withdrawTitle')}</h3>
      <p class="small muted">{t('withdrawIntro')}</p>
      {state === 'nothing' && (
        <p class="notice" data-testid="withdraw-nothing">
          {t('withdrawNothing')}
        </p>
      )}
      {state === 'below-minimum' && minWithdrawal !== undefined && (
        <p class="notice" data-testid="withdraw-below-minimum">
          {t('withdrawBelowMinimum', exact(minWithdrawal), exact(withdrawable))}
        </p>
      )}
      {state === 'ready' && (
        <p data-testid="withdraw-amount">
          {t('withdrawAmountPreview', formatAmount(withdrawable, token))}
        </p>
      )}
      {state !== 'below-minimum' && minWithdrawal !== undefined && (
        <p class="small muted" data-testid="withdraw-minimum">
          {t('withdrawMinimum', exact(minWithdrawal))}
        </p>
      )}
      <label for="withdraw-recipient">{t('withdrawRecipientLabel')}</label>
      <input
        id="withdraw-recipient"
        class="mono"
        type="text"
        autoComplete="off"
        spellcheck={false}
        placeholder={t('withdrawRecipientPlaceholder')}
        value={recipient}
        aria-invalid={problem ? true : undefined}
        aria-describedby="withdraw-recipient-help"
        onInput={(event) => setRecipient(event.currentTarget.value)}
        onBlur={() => setTouched(true)}
      />
      <div id="withdraw-recipient-help" aria-live="polite">
        {problem && check.kind === 'invalid' && (
          <p class="error-text small" data-testid="withdraw-recipient-error">
            {t(check.problem)}
          </p>
        )}
        {check.kind === 'valid' && check.warning && (
          <p class="notice warning small" data-testid="withdraw-recipient-warning">
            {t(check.warning)}
          </p>
        )}
      </div>
      {error && <ErrorNotice message={error} />}
      <button type="submit" disabled={busy || nothing || check.kind !== 'valid'}>
        {busy ? t('withdrawSubmitting') : t('withdrawSubmit')}
      </button>
    </form>
  );
}
