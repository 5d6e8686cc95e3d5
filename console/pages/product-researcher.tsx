/**
 * After a purchase: the subscription end (read on chain), researcher sign-in (SIWE → Bearer
 * token), aggregate downloads for a date range, and the live feed of new epochs.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

import {
  downloadAggregates,
  downloadFormats,
  followStream,
  forgetSession,
  readSubscriptionEnd,
  researcherSignIn,
  storedSession,
  type DownloadFormat,
  type EpochEvent,
  type ProductInfo,
  type ResearcherSession,
} from '../api/product.ts';
import { ApiError } from '../api/client.ts';
import { Empty, ErrorNote, Loading } from '../ui/states.tsx';
import { formatLocalTime, formatSpan, formatUtcTime } from '../ui/time.ts';
import { useLoad } from '../ui/use-load.ts';
import { When } from '../ui/when.tsx';
import type { ConnectedWallet } from '../wallet/wallet.ts';

export interface ProductResearcherProps {
  info: ProductInfo;
  subscription: NonNullable<ProductInfo['subscription']>;
  wallet: ConnectedWallet;
  /** Bumped after a purchase so the subscription end is read again. */
  refresh: number;
}

export function ProductResearcher({ info, subscription, wallet, refresh }: ProductResearcherProps) {
  const end = useLoad(
    () => readSubscriptionEnd(wallet, subscription.marketplace, subscription.productId),
    [wallet, subscription.marketplace, subscription.productId, refresh],
  );
  const [session, setSession] = useState<ResearcherSession | null>(() =>
    storedSession(wallet.address),
  );
  const [signingIn, setSigningIn] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => setSession(storedSession(wallet.address)), [wallet.address]);

  const signIn = useCallback(async () => {
    setSigningIn(true);
    setError(undefined);
    try {
      setSession(await researcherSignIn(wallet, subscription.chainId));
    } catch (failure) {
      setError(failure);
    } finally {
      setSigningIn(false);
    }
  }, [wallet, subscription.chainId]);

  const onAuthError = useCallback((failure: unknown) => {
    if (failure instanceof ApiError && failure.code === 'AUTH_REQUIRED') {
      forgetSession();
      setSession(null);
    }
  }, []);

  const endsAt = end.data;
  const live = endsAt !== undefined && endsAt * 1000 > Date.now();

  return (
    <section class="card" aria-labelledby="access-title" data-testid="researcher">
      <h2 id="access-title">Your subscription</h2>
      {end.loading && endsAt === undefined && <Loading what="your subscription" />}
      {end.error !== undefined && <ErrorNote error={end.error} onRetry={end.reload} />}
      {endsAt !== undefined && (
        <p data-testid="subscription-end">
          {endsAt === 0 ? (
            <>No subscription for this address yet.</>
          ) : (
            <>
              {live ? 'Active until ' : 'Ended '}
              <time dateTime={new Date(endsAt * 1000).toISOString()} title={formatUtcTime(endsAt)}>
                {formatLocalTime(endsAt)}
              </time>
              .
            </>
          )}
        </p>
      )}
      {live && !session && (
        <div class="actions">
          <button type="button" class="primary" disabled={signingIn} onClick={() => void signIn()}>
            {signingIn ? 'Waiting for the wallet…' : 'Sign in to download'}
          </button>
          <span class="muted">A free signature (Sign-In with Ethereum); no transaction.</span>
        </div>
      )}
      {error !== undefined && <ErrorNote error={error} />}
      {session && (
        <>
          <p class="muted">
            Signed in as researcher until <When iso={session.expiresAt} />.{' '}
            <button
              type="button"
              class="link"
              onClick={() => {
                forgetSession();
                setSession(null);
              }}
            >
              Sign out
            </button>
          </p>
          <Downloads info={info} token={session.token} onAuthError={onAuthError} />
          <LiveFeed token={session.token} onAuthError={onAuthError} />
        </>
      )}
    </section>
  );
}

function Downloads({
  info,
  token,
  onAuthError,
}: {
  info: ProductInfo;
  token: string;
  onAuthError: (error: unknown) => void;
}) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [format, setFormat] = useState<DownloadFormat>('csv');
  const [categories, setCategories] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [file, setFile] = useState<{ url: string; name: string; size: number } | null>(null);

  useEffect(() => () => file && URL.revokeObjectURL(file.url), [file]);

  const rangeError = from && to && from >= to ? 'The start date must be before the end date.' : '';

  const download = async () => {
    setBusy(true);
    setError(undefined);
    setFile(null);
    try {
      const { blob, filename } = await downloadAggregates(token, {
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        categories,
        format,
      });
      setFile({ url: URL.createObjectURL(blob), name: filename, size: blob.size });
    } catch (failure) {
      onAuthError(failure);
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="downloads-form"
      aria-labelledby="downloads-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (!rangeError) void download();
      }}
    >
      <h3 id="downloads-title">Download aggregates</h3>
      <div class="form-row">
        <label for="agg-from">
          From (UTC date, inclusive)
          <input
            id="agg-from"
            type="date"
            value={from}
            onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
          />
        </label>
        <label for="agg-to">
          To (UTC date, exclusive)
          <input
            id="agg-to"
            type="date"
            value={to}
            onInput={(e) => setTo((e.target as HTMLInputElement).value)}
          />
        </label>
        <label for="agg-format">
          Format
          <select
            id="agg-format"
            value={format}
            onChange={(e) => setFormat((e.target as HTMLSelectElement).value as DownloadFormat)}
          >
            {downloadFormats.map((f) => (
              <option key={f.format} value={f.format}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {info.categories.length > 0 && (
        <fieldset class="categories">
          <legend>Categories (none ticked = all)</legend>
          {info.categories.map((c) => (
            <label key={c.id} class="check">
              <input
                type="checkbox"
                checked={categories.includes(c.id)}
                onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  setCategories((old) => (on ? [...old, c.id] : old.filter((id) => id !== c.id)));
                }}
              />
              {c.label}
            </label>
          ))}
        </fieldset>
      )}
      {rangeError && (
        <p class="warn" role="alert">
          {rangeError}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || Boolean(rangeError)}>
          {busy ? 'Preparing…' : 'Prepare download'}
        </button>
        {file && (
          <a class="button" href={file.url} download={file.name} data-testid="aggregates-download">
            Save {file.name} ({file.size.toLocaleString()} bytes)
          </a>
        )}
      </div>
      {error !== undefined && <ErrorNote error={error} />}
    </form>
  );
}

function LiveFeed({
  token,
  onAuthError,
}: {
  token: string;
  onAuthError: (error: unknown) => void;
}) {
  const [epochs, setEpochs] = useState<EpochEvent[]>([]);
  const [state, setState] = useState<'connecting' | 'live' | 'ended' | 'expired'>('connecting');
  const [error, setError] = useState<unknown>(undefined);
  const [round, setRound] = useState(0);
  const authError = useRef(onAuthError);
  authError.current = onAuthError;

  useEffect(() => {
    const abort = new AbortController();
    setState('connecting');
    setError(undefined);
    let expired = false;
    followStream(
      token,
      (event) => {
        if (event.type === 'expired') {
          expired = true;
          setState('expired');
          return;
        }
        setState('live');
        setEpochs((old) =>
          [event.epoch, ...old.filter((e) => e.id !== event.epoch.id)].slice(0, 50),
        );
      },
      abort.signal,
    ).then(
      () => {
        if (!abort.signal.aborted && !expired) setState('ended');
      },
      (failure: unknown) => {
        if (abort.signal.aborted) return;
        authError.current(failure);
        setError(failure);
        setState('ended');
      },
    );
    // The stream sends nothing until an epoch is published; once open it is live.
    const opened = setTimeout(() => setState((s) => (s === 'connecting' ? 'live' : s)), 1500);
    return () => {
      clearTimeout(opened);
      abort.abort();
    };
  }, [token, round]);

  return (
    <div class="live-feed" aria-labelledby="feed-title">
      <h3 id="feed-title">New epochs (live)</h3>
      <p class="muted" role="status" data-testid="feed-state">
        {state === 'connecting' && 'Connecting to the live feed…'}
        {state === 'live' &&
          'Listening for newly published epochs (each is sent once, after its acceptance window closed).'}
        {state === 'ended' && 'The live feed has ended.'}
        {state === 'expired' && 'Your subscription ended; the live feed stopped.'}
        {(state === 'ended' || state === 'expired') && (
          <>
            {' '}
            <button type="button" class="link" onClick={() => setRound((r) => r + 1)}>
              Reconnect
            </button>
          </>
        )}
      </p>
      {error !== undefined && <ErrorNote error={error} />}
      {epochs.length === 0 ? (
        <Empty>No new epoch since you opened this page.</Empty>
      ) : (
        <div class="table-wrap">
          <table data-testid="feed-table">
            <caption class="visually-hidden">Epochs received from the live feed</caption>
            <thead>
              <tr>
                <th scope="col">Epoch start</th>
                <th scope="col">Length</th>
                <th scope="col">Rows</th>
              </tr>
            </thead>
            <tbody>
              {epochs.map((e) => (
                <tr key={e.id}>
                  <td>
                    <When iso={e.epochStart} />
                  </td>
                  <td>{formatSpan(e.epochSeconds)}</td>
                  <td>{e.rows.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
