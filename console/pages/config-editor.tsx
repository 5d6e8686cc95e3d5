/**
 * The category config editor: pick categories from the taxonomy (sensitive topics are never
 * offered), edit labels, descriptions and domain rules, the epoch length and the privacy
 * parameters; preview the diff against the live config; sign it (EIP-712) with the admin wallet
 * and publish it; see earlier versions. The live config's private-aggregation block is shown
 * read-only and carried into the next version (config/draft.ts).
 */
import { useMemo, useState } from 'preact/hooks';

import type { SignedConfig } from '../../extension/protocol/config.ts';
import { configTypedData } from '../../extension/protocol/config.ts';
import { unionDomain } from '../../extension/protocol/eip712.ts';
import { privacyBounds, type PrivacyParams } from '../../extension/protocol/privacy.ts';
import { DEVELOPMENT_LIMITS, STORE_LIMITS } from '../../extension/protocol/privacy-budget.ts';
import { categories } from '../../extension/protocol/taxonomy.ts';
import { configVersion, liveConfig } from '../api/admin.ts';
import { api } from '../api/client.ts';
import type { AdminContext } from '../app.tsx';
import {
  buildConfig,
  configProblems,
  diffConfigs,
  draftCategory,
  draftFrom,
  pickable,
  type Draft,
  type DraftCategory,
} from '../config/draft.ts';
import { Empty, ErrorNote, Loading } from '../ui/states.tsx';
import { useLoad } from '../ui/use-load.ts';
import { When } from '../ui/when.tsx';
import { walletErrorFrom } from '../wallet/wallet.ts';

const choices = pickable(categories);

const privacyFields: { key: keyof PrivacyParams; label: string; step: number; help: string }[] = [
  {
    key: 'epsilon',
    label: 'ε — privacy budget per epoch',
    step: 0.01,
    help: 'Lower ε adds more random noise to each member’s counts, so one person’s browsing is harder to infer but totals are less precise.',
  },
  {
    key: 'maxVisits',
    label: 'Visits clip bound',
    step: 1,
    help: 'Visits per category per epoch are capped at this number before noise, so one heavy user cannot dominate a total.',
  },
  {
    key: 'maxActiveSeconds',
    label: 'Active seconds clip bound',
    step: 1,
    help: 'Active time per category per epoch is capped at this many seconds before noise, for the same reason.',
  },
  {
    key: 'kThreshold',
    label: 'k — minimum contributors',
    step: 1,
    help: 'A category’s figures for an epoch are published only when at least k members contributed to them.',
  },
];

const epochChoices = [
  { seconds: 3600, label: '1 hour' },
  { seconds: 6 * 3600, label: '6 hours' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 7 * 86_400, label: '7 days' },
];

export function ConfigEditor({ ctx }: { ctx: AdminContext }) {
  const live = useLoad(() => liveConfig());
  if (live.loading && live.data === undefined) return <Loading what="the live config" />;
  if (live.error !== undefined) return <ErrorNote error={live.error} onRetry={live.reload} />;
  const signed = live.data ?? null;
  return (
    <Editor
      key={signed?.config.version ?? 0}
      ctx={ctx}
      live={signed}
      onPublished={() => {
        live.reload();
        ctx.reloadUnion();
      }}
    />
  );
}

function Editor({
  ctx,
  live,
  onPublished,
}: {
  ctx: AdminContext;
  live: SignedConfig | null;
  onPublished: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftFrom(live?.config ?? null));
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [notice, setNotice] = useState('');

  const next = useMemo(() => buildConfig(draft, live?.config ?? null, Date.now()), [draft, live]);
  // The union's own limits: the local union of `npm start` allows one-minute epochs and small k.
  const limits = ctx.union.privacyLimits === 'development' ? DEVELOPMENT_LIMITS : STORE_LIMITS;
  const problems = useMemo(() => configProblems(next, limits), [next, limits]);
  const changes = useMemo(() => diffConfigs(live?.config ?? null, next), [live, next]);
  const picked = new Set(draft.categories.map((c) => c.id));
  const f = filter.trim().toLowerCase();
  const shown = choices.filter((c) => !f || c.label.toLowerCase().includes(f) || c.key.includes(f));

  const setCategory = (id: number, patch: Partial<DraftCategory>) =>
    setDraft({
      ...draft,
      categories: draft.categories.map((c) => (c.id === id ? { ...c, ...patch } : c)),
    });
  const toggleCategory = (id: number) => {
    if (picked.has(id)) {
      setDraft({ ...draft, categories: draft.categories.filter((c) => c.id !== id) });
    } else {
      const category = choices.find((c) => c.id === id);
      if (category)
        setDraft({ ...draft, categories: [...draft.categories, draftCategory(category)] });
    }
  };

  const publish = async () => {
    setBusy(true);
    setError(undefined);
    setNotice('');
    try {
      const config = buildConfig(draft, live?.config ?? null, Date.now());
      const { types, message } = configTypedData(config);
      const domain = unionDomain(ctx.union.chainId, ctx.union.contracts.dataUnion);
      let signature: string;
      try {
        signature = await ctx.wallet.signer.signTypedData(domain, types, message);
      } catch (failure) {
        throw walletErrorFrom(failure, 'sign the config');
      }
      const body: SignedConfig = { config, signature, signer: ctx.wallet.address.toLowerCase() };
      const answer = await api<{ version: number }>('/v1/admin/config', { method: 'PUT', body });
      setNotice(`Published version ${answer.version}.`);
      onPublished();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="config-title">
      <h1 id="config-title">Category config</h1>
      <p class="muted">
        {live ? `Live: version ${live.config.version}.` : 'No config is published yet.'} Publishing
        signs the next version with the admin wallet; extensions check that signature before using
        it.
      </p>
      <p role="status" class="notice" data-testid="config-notice">
        {notice}
      </p>
      <div class="grid">
        <fieldset class="card">
          <legend>Epoch and extension</legend>
          <label>
            Epoch length
            <select
              value={String(draft.epochSeconds)}
              aria-describedby="epoch-help"
              onChange={(e) => setDraft({ ...draft, epochSeconds: Number(e.currentTarget.value) })}
            >
              {epochChoices.map((c) => (
                <option key={c.seconds} value={c.seconds}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <p id="epoch-help" class="help">
            Each member’s extension sends one report per epoch; shorter epochs give finer data but
            spend the privacy budget more often.
          </p>
          <label>
            Minimum extension version
            <input
              value={draft.minExtensionVersion}
              aria-describedby="minver-help"
              onInput={(e) => setDraft({ ...draft, minExtensionVersion: e.currentTarget.value })}
            />
          </label>
          <p id="minver-help" class="help">
            Older extensions ignore this config and keep their last one.
          </p>
        </fieldset>
        <fieldset class="card">
          <legend>Privacy</legend>
          {privacyFields.map((field) => {
            const bounds = privacyBounds[field.key];
            return (
              <div key={field.key} class="field">
                <label>
                  {field.label}
                  <input
                    type="number"
                    name={field.key}
                    min={bounds.min}
                    max={bounds.max}
                    step={field.step}
                    value={draft.privacy[field.key]}
                    aria-describedby={`${field.key}-help`}
                    onInput={(e) =>
                      setDraft({
                        ...draft,
                        privacy: { ...draft.privacy, [field.key]: e.currentTarget.valueAsNumber },
                      })
                    }
                  />
                </label>
                <p id={`${field.key}-help`} class="help">
                  {field.help} Allowed: {bounds.min} to {bounds.max}.
                </p>
              </div>
            );
          })}
        </fieldset>
      </div>
      {next.aggregation && (
        <article class="card" aria-labelledby="aggregation-title" data-testid="config-aggregation">
          <h2 id="aggregation-title">Private aggregation (read-only)</h2>
          <p class="help">
            The DAP task signed with this config. The editor keeps it; its VDAF, time precision and
            minimum batch size follow the categories, clip bounds, epoch and k below. Members’
            extensions do not upload to it yet.
          </p>
          <dl class="mono small">
            <dt>Task id</dt>
            <dd>{next.aggregation.taskId}</dd>
            <dt>Leader / helper</dt>
            <dd>
              {next.aggregation.leaderUrl} / {next.aggregation.helperUrl}
            </dd>
            <dt>VDAF</dt>
            <dd>
              {next.aggregation.vdaf.type} length {next.aggregation.vdaf.length}, bits{' '}
              {next.aggregation.vdaf.bits}, chunk length {next.aggregation.vdaf.chunkLength}
            </dd>
            <dt>Central ε per epoch</dt>
            <dd>{next.aggregation.centralEpsilon}</dd>
          </dl>
        </article>
      )}
      <div class="grid">
        <fieldset class="card picker">
          <legend>Categories ({draft.categories.length} picked)</legend>
          <p class="help">
            Sensitive topics (health, religion, politics, sexuality …) are never offered.
          </p>
          <label>
            Filter
            <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
          </label>
          <ul class="choices">
            {shown.map((c) => (
              <li key={c.id}>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={picked.has(c.id)}
                    onChange={() => toggleCategory(c.id)}
                  />
                  {c.label} <span class="muted small">({c.key})</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div class="picked">
          {draft.categories.length === 0 && <Empty>Pick categories on the left.</Empty>}
          {draft.categories.map((c) => (
            <fieldset key={c.id} class="card" data-testid={`category-${c.key}`}>
              <legend>
                {c.label} <span class="muted small">#{c.id}</span>
              </legend>
              <label>
                Label
                <input
                  value={c.label}
                  maxLength={60}
                  onInput={(e) => setCategory(c.id, { label: e.currentTarget.value })}
                />
              </label>
              <label>
                Description
                <textarea
                  rows={2}
                  maxLength={300}
                  value={c.description}
                  onInput={(e) => setCategory(c.id, { description: e.currentTarget.value })}
                />
              </label>
              <label>
                Domain rules (one host per line; subdomains match too)
                <textarea
                  rows={3}
                  class="mono"
                  value={c.domains}
                  onInput={(e) => setCategory(c.id, { domains: e.currentTarget.value })}
                />
              </label>
            </fieldset>
          ))}
        </div>
      </div>
      <article class="card" aria-labelledby="diff-title">
        <h2 id="diff-title">Changes against the live config</h2>
        {changes.length === 0 ? (
          <Empty>No changes.</Empty>
        ) : (
          <ul class="diff" data-testid="config-diff">
            {changes.map((c, i) => (
              <li key={i} class={`diff-${c.kind}`}>
                <strong>{c.kind}</strong> {c.what}
                {c.before !== undefined && (
                  <>
                    : <del>{c.before}</del>
                  </>
                )}
                {c.after !== undefined && (
                  <>
                    {c.before !== undefined ? ' → ' : ': '}
                    <ins>{c.after}</ins>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        {problems.length > 0 && (
          <div class="state state-error" role="alert">
            <p>Fix these before publishing:</p>
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        {error !== undefined && <ErrorNote error={error} />}
        <button
          type="button"
          class="primary"
          disabled={busy || problems.length > 0 || changes.length === 0}
          onClick={() => void publish()}
        >
          {busy ? 'Waiting for the wallet…' : `Sign and publish version ${next.version}`}
        </button>
      </article>
      {live && <History latest={live.config.version} />}
    </section>
  );
}

function History({ latest }: { latest: number }) {
  const versions = useLoad(async () => {
    const wanted = Array.from({ length: Math.min(latest, 20) }, (_, i) => latest - i);
    return Promise.all(wanted.map((v) => configVersion(v)));
  }, [latest]);
  return (
    <article class="card" aria-labelledby="history-title">
      <h2 id="history-title">Version history</h2>
      {versions.loading && !versions.data && <Loading what="earlier versions" />}
      {versions.error !== undefined && (
        <ErrorNote error={versions.error} onRetry={versions.reload} />
      )}
      {versions.data && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Published config versions</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Issued</th>
                <th scope="col">Categories</th>
                <th scope="col">Epoch</th>
                <th scope="col">ε</th>
                <th scope="col">k</th>
              </tr>
            </thead>
            <tbody>
              {versions.data.map(({ config }) => (
                <tr key={config.version}>
                  <td>{config.version}</td>
                  <td>
                    <When iso={new Date(config.issuedAt * 1000).toISOString()} />
                  </td>
                  <td>{config.categories.map((c) => c.label).join(', ')}</td>
                  <td>{config.epochSeconds / 3600} h</td>
                  <td>{config.privacy.epsilon}</td>
                  <td>{config.privacy.kThreshold}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
