/**
 * The console shell: union facts in the header, the wallet, admin sign-in (SIWE) and the hash
 * routes of the admin views. Only the union's admin address, signed in, sees the admin views.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';

import { api } from './api/client.ts';
import type { Session, UnionInfo } from './api/types.ts';
import { ConfigEditor } from './pages/config-editor.tsx';
import { CreateUnion } from './pages/create-union.tsx';
import { JoinRequests } from './pages/join-requests.tsx';
import { Members } from './pages/members.tsx';
import { Overview } from './pages/overview.tsx';
import { ProductPage } from './pages/product.tsx';
import { Secrets } from './pages/secrets.tsx';
import { Settings } from './pages/settings.tsx';
import { PageTop } from './ui/page-top.tsx';
import { ErrorNote, Loading } from './ui/states.tsx';
import { useLoad } from './ui/use-load.ts';
import { WalletAccount } from './ui/wallet-account.tsx';
import { shortAddress } from './ui/when.tsx';
import { currentSession, signIn, signOut } from './wallet/session.ts';
import { connectWallet, hasWallet, type ConnectedWallet } from './wallet/wallet.ts';

export const routes = [
  { hash: '#/overview', label: 'Overview' },
  { hash: '#/requests', label: 'Join requests' },
  { hash: '#/members', label: 'Members' },
  { hash: '#/secrets', label: 'App secrets' },
  { hash: '#/settings', label: 'Auto-join' },
  { hash: '#/config', label: 'Category config' },
] as const;

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash || '#/overview');
  useEffect(() => {
    const update = () => setHash(window.location.hash || '#/overview');
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}

export interface AdminContext {
  union: UnionInfo;
  wallet: ConnectedWallet;
  reloadUnion: () => void;
}

export function App() {
  const union = useLoad(() => api<UnionInfo>('/v1/union'));
  const hash = useHash();
  const [wallet, setWallet] = useState<ConnectedWallet | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [busy, setBusy] = useState<'connect' | 'sign-in' | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const info = union.data;
  const onCreate = hash === '#/create';
  // The researcher's product page and "Create a union" need no admin sign-in.
  const onProduct = hash === '#/product' || onCreate;
  const isAdmin = Boolean(info && wallet && wallet.address.toLowerCase() === info.admin);
  const signedIn = Boolean(
    isAdmin && session && wallet && session.address === wallet.address.toLowerCase(),
  );

  const connect = useCallback(async () => {
    if (!info) return;
    setBusy('connect');
    setError(undefined);
    try {
      const connected = await connectWallet(BigInt(info.chainId));
      setWallet(connected);
      if (connected.address.toLowerCase() === info.admin) setSession(await currentSession());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  }, [info]);

  const doSignIn = useCallback(async () => {
    if (!info || !wallet) return;
    setBusy('sign-in');
    setError(undefined);
    try {
      setSession(await signIn(wallet, info.chainId));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  }, [info, wallet]);

  const doSignOut = useCallback(async () => {
    try {
      await signOut();
    } finally {
      setSession(null);
    }
  }, []);

  return (
    <>
      <PageTop app="union console">
        {info && (
          <dl class="facts" aria-label="This union">
            <div>
              <dt>Chain</dt>
              <dd>{info.chainId}</dd>
            </div>
            <div>
              <dt>DataUnion</dt>
              <dd title={info.contracts.dataUnion}>{shortAddress(info.contracts.dataUnion)}</dd>
            </div>
            <div>
              <dt>Admin</dt>
              <dd title={info.admin}>{shortAddress(info.admin)}</dd>
            </div>
            <div>
              <dt>Config</dt>
              <dd>{info.config ? `v${info.config.config.version}` : 'none yet'}</dd>
            </div>
          </dl>
        )}
        <nav class="header-links" aria-label="Researchers">
          <a href="#/product" aria-current={hash === '#/product' ? 'page' : undefined}>
            Data product
          </a>
          <a href="/marketplace">Marketplace</a>
          <a href="#/create" aria-current={onCreate ? 'page' : undefined}>
            Create a union
          </a>
        </nav>
        <div class="account">
          <WalletAccount
            wallet={wallet}
            connecting={busy === 'connect'}
            disabled={!info || busy !== null}
            onConnect={() => void connect()}
          />
          {signedIn && (
            <button type="button" onClick={() => void doSignOut()}>
              Sign out
            </button>
          )}
        </div>
      </PageTop>
      {signedIn && !onProduct && (
        <nav class="tabs" aria-label="Admin views">
          {routes.map((r) => (
            <a key={r.hash} href={r.hash} aria-current={hash === r.hash ? 'page' : undefined}>
              {r.label}
            </a>
          ))}
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        {union.loading && !info && <Loading what="the union" />}
        {union.error !== undefined && !info && (
          <ErrorNote error={union.error} onRetry={union.reload} />
        )}
        {error !== undefined && <ErrorNote error={error} />}
        {info && onCreate && (
          <CreateUnion
            union={info}
            wallet={wallet}
            connecting={busy === 'connect'}
            onConnect={() => void connect()}
          />
        )}
        {info && onProduct && !onCreate && (
          <ProductPage
            wallet={wallet}
            connecting={busy === 'connect'}
            onConnect={() => void connect()}
          />
        )}
        {info && !onProduct && !wallet && (
          <section class="card intro">
            <h1>Administer this union</h1>
            <p>
              Connect the union admin’s wallet to approve members, manage app secrets and publish
              the category config.
            </p>
            {!hasWallet() && (
              <p class="warn">
                No Ethereum wallet was found in this browser. Install one (for example MetaMask) and
                reload.
              </p>
            )}
            <p>
              Researchers: see <a href="#/product">the data product</a> to buy a subscription and
              download aggregates.
            </p>
          </section>
        )}
        {info && !onProduct && wallet && !isAdmin && (
          <section class="card" role="alert" data-testid="not-admin">
            <h1>Not the admin</h1>
            <p>
              The connected address {wallet.address} is not the union’s admin ({info.admin}). Admin
              views are available only to that address.
            </p>
          </section>
        )}
        {info && !onProduct && wallet && !isAdmin && (
          <ProductPage wallet={wallet} connecting={false} onConnect={() => void connect()} />
        )}
        {info && !onProduct && wallet && isAdmin && !signedIn && (
          <section class="card">
            <h1>Sign in</h1>
            <p>
              Sign a Sign-In with Ethereum message with the admin wallet. It costs nothing and sends
              no transaction.
            </p>
            <button
              type="button"
              class="primary"
              disabled={busy !== null}
              onClick={() => void doSignIn()}
            >
              {busy === 'sign-in' ? 'Waiting for the wallet…' : 'Sign in with Ethereum'}
            </button>
          </section>
        )}
        {info && !onProduct && wallet && signedIn && (
          <AdminView hash={hash} ctx={{ union: info, wallet, reloadUnion: union.reload }} />
        )}
      </main>
    </>
  );
}

function AdminView({ hash, ctx }: { hash: string; ctx: AdminContext }) {
  switch (hash) {
    case '#/requests':
      return <JoinRequests />;
    case '#/members':
      return <Members />;
    case '#/secrets':
      return <Secrets />;
    case '#/settings':
      return <Settings onChange={ctx.reloadUnion} />;
    case '#/config':
      return <ConfigEditor ctx={ctx} />;
    default:
      return <Overview ctx={ctx} />;
  }
}
