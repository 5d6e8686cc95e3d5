/**
 * "Create a union": the connected wallet becomes the admin of a new union, created and listed on
 * the Marketplace in one factory transaction; then the page shows how to start its server and
 * build its extension. Every field is checked before the wallet is asked.
 */
import { useEffect, useState } from 'preact/hooks';

import { readToken, type TokenDetails } from '../api/product.ts';
import type { UnionInfo } from '../api/types.ts';
import { createUnionWithWallet, type CreateProgress } from '../factory/create-union-tx.ts';
import {
  extensionBuildCommand,
  serveCommand,
  type CreatedUnionFacts,
} from '../factory/start-command.ts';
import {
  freezeUnits,
  listedPrice,
  validateUnionForm,
  type UnionFormField,
  type UnionFormInput,
} from '../factory/union-form.ts';
import { formatPrice } from '../api/product.ts';
import { ErrorNote } from '../ui/states.tsx';
import { TxProgress } from '../ui/tx-step.tsx';
import type { ConnectedWallet } from '../wallet/wallet.ts';
import { addressSchema } from '../../extension/protocol/wire.ts';

export interface CreateUnionProps {
  union: UnionInfo;
  wallet: ConnectedWallet | null;
  connecting: boolean;
  onConnect: () => void;
}

const labels: Record<Exclude<UnionFormField, 'freezeUnit'>, string> = {
  name: 'Product name',
  description: 'Description',
  token: 'Token address',
  adminFeePercent: 'Admin fee (%)',
  freezePeriod: 'Freeze period',
  operator: 'Operator address',
  pricePerDay: 'Price per day',
  unionUrl: 'Union URL',
  factory: 'Factory address',
};

const help: Partial<Record<UnionFormField, string>> = {
  token: 'The ERC-20 the product is paid in and members earn.',
  adminFeePercent: 'Your share of every purchase, 0 to 50 %.',
  freezePeriod: 'How long a committed root can be revoked before members can withdraw with it.',
  operator: 'The account whose key the union server uses to commit roots.',
  unionUrl: 'Where the union’s server will answer (https://…); the marketplace page fetches it.',
  factory: 'The DataUnionFactory; this union server names it when it knows it.',
};

function Field(props: {
  field: Exclude<UnionFormField, 'freezeUnit'>;
  value: string;
  error: string | undefined;
  disabled: boolean;
  onInput: (value: string) => void;
  multiline?: boolean;
  placeholder?: string;
}) {
  const id = `create-${props.field}`;
  const described = [help[props.field] ? `${id}-help` : '', props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    value: props.value,
    disabled: props.disabled,
    placeholder: props.placeholder,
    'aria-invalid': props.error !== undefined,
    'aria-describedby': described || undefined,
    onInput: (event: Event) => props.onInput((event.target as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{labels[props.field]}</label>
      {props.multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}
      {help[props.field] && (
        <span id={`${id}-help`} class="help">
          {help[props.field]}
        </span>
      )}
      {props.error && (
        <span id={`${id}-error`} class="warn" data-testid={`${id}-error`}>
          {props.error}
        </span>
      )}
    </div>
  );
}

function Progress({ progress }: { progress: CreateProgress }) {
  return (
    <TxProgress
      label="Transaction"
      steps={[
        {
          testId: 'tx-create',
          label: 'Create the union',
          stage: progress.stage,
          hash: progress.hash,
        },
      ]}
    />
  );
}

function Created(props: {
  facts: CreatedUnionFacts;
  token: TokenDetails | null;
  progress: CreateProgress | null;
}) {
  const { facts, token } = props;
  return (
    <section class="card" aria-labelledby="created-title" data-testid="union-created">
      <h2 id="created-title">Union created</h2>
      {props.progress && <Progress progress={props.progress} />}
      <dl class="product-facts">
        <div>
          <dt>DataUnion</dt>
          <dd class="mono" data-testid="created-union">
            {facts.union}
          </dd>
        </div>
        <div>
          <dt>Product id</dt>
          <dd class="mono" data-testid="created-product">
            {facts.productId}
          </dd>
        </div>
        <div>
          <dt>Created in block</dt>
          <dd>{facts.blockNumber}</dd>
        </div>
        <div>
          <dt>Token</dt>
          <dd class="mono">{token ? `${token.symbol} ${facts.token}` : facts.token}</dd>
        </div>
      </dl>
      <h3>Start its union server</h3>
      <p>
        On the machine that answers at <span class="mono">{facts.unionUrl}</span>, fill in the
        operator’s key and your node’s URL (they never pass through this page) and run:
      </p>
      <pre class="datasheet" data-testid="serve-command">
        {serveCommand(facts)}
      </pre>
      <p class="help">
        Other settings (database, limits, confirmations): docs/operations.md. Publish a category
        config from this union’s console before members join.
      </p>
      <h3>Build the extension for it</h3>
      <pre class="datasheet" data-testid="extension-command">
        {extensionBuildCommand(facts)}
      </pre>
      <p>
        Its product is on the <a href="/marketplace">marketplace page</a>.
      </p>
    </section>
  );
}

export function CreateUnion({ union, wallet, connecting, onConnect }: CreateUnionProps) {
  const [input, setInput] = useState<UnionFormInput>({
    factory: union.contracts.factory ?? '',
    name: '',
    description: '',
    token: union.contracts.token ?? '',
    adminFeePercent: '10',
    freezePeriod: '1',
    freezeUnit: 'days',
    operator: '',
    pricePerDay: '1',
    unionUrl: '',
  });
  const [token, setToken] = useState<TokenDetails | null>(null);
  const [tokenProblem, setTokenProblem] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [progress, setProgress] = useState<CreateProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [created, setCreated] = useState<CreatedUnionFacts | null>(null);

  const tokenAddress = input.token.trim();
  useEffect(() => {
    setToken(null);
    setTokenProblem(null);
    if (!wallet || !addressSchema.safeParse(tokenAddress).success) return;
    let live = true;
    readToken(tokenAddress, wallet.provider).then(
      (details) => live && setToken(details),
      () => live && setTokenProblem('No ERC-20 token answers at this address on this chain.'),
    );
    return () => {
      live = false;
    };
  }, [wallet, tokenAddress]);

  const result = validateUnionForm(input, token?.decimals ?? null);
  const price = listedPrice(input.pricePerDay, token?.decimals ?? null);
  const errors = result.ok ? {} : result.errors;
  const shown = (field: UnionFormField) =>
    field === 'token' && tokenProblem ? tokenProblem : submitted ? errors[field] : undefined;
  const set = (field: UnionFormField) => (value: string) =>
    setInput((old) => ({ ...old, [field]: value }));

  const submit = async () => {
    setSubmitted(true);
    if (!wallet || !result.ok || tokenProblem) return;
    setBusy(true);
    setError(undefined);
    setProgress(null);
    try {
      const made = await createUnionWithWallet(
        wallet,
        BigInt(union.chainId),
        result.value,
        setProgress,
      );
      setCreated({
        chainId: union.chainId,
        union: made.union.toLowerCase(),
        productId: made.productId.toLowerCase(),
        admin: made.admin.toLowerCase(),
        operator: made.operator.toLowerCase(),
        token: made.token.toLowerCase(),
        marketplace: made.marketplace,
        factory: result.value.factory.toLowerCase(),
        blockNumber: made.blockNumber,
        unionUrl: result.value.unionUrl,
        name: result.value.name,
        description: result.value.description,
      });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  if (created) return <Created facts={created} token={token} progress={progress} />;

  const disabled = busy;
  return (
    <section class="card" aria-labelledby="create-title">
      <h1 id="create-title">Create a union</h1>
      <p>
        One transaction creates a new DataUnion (a clone of the factory’s template) with the
        connected wallet as its admin, and lists its product on the Marketplace with the union as
        the beneficiary of every purchase.
      </p>
      {!wallet ? (
        <button type="button" class="primary" disabled={connecting} onClick={onConnect}>
          {connecting ? 'Connecting…' : 'Connect the admin wallet'}
        </button>
      ) : (
        <form
          class="grid"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Field
            field="name"
            value={input.name}
            error={shown('name')}
            disabled={disabled}
            onInput={set('name')}
          />
          <Field
            field="description"
            multiline
            value={input.description}
            error={shown('description')}
            disabled={disabled}
            onInput={set('description')}
          />
          <Field
            field="token"
            value={input.token}
            error={shown('token')}
            disabled={disabled}
            onInput={set('token')}
            placeholder="0x…"
          />
          <Field
            field="pricePerDay"
            value={input.pricePerDay}
            error={shown('pricePerDay')}
            disabled={disabled}
            onInput={set('pricePerDay')}
          />
          {token && 'pricePerDay' in price && (
            <p class="help" data-testid="create-price-note">
              Listed at {formatPrice(price.pricePerDay, token)} per day (
              {price.pricePerSecond.toString()} base units a second).
            </p>
          )}
          <Field
            field="adminFeePercent"
            value={input.adminFeePercent}
            error={shown('adminFeePercent')}
            disabled={disabled}
            onInput={set('adminFeePercent')}
          />
          <div class="form-row">
            <Field
              field="freezePeriod"
              value={input.freezePeriod}
              error={shown('freezePeriod')}
              disabled={disabled}
              onInput={set('freezePeriod')}
            />
            <label for="create-freezeUnit">
              Unit
              <select
                id="create-freezeUnit"
                value={input.freezeUnit}
                disabled={disabled}
                onChange={(event) => set('freezeUnit')((event.target as HTMLSelectElement).value)}
              >
                {Object.keys(freezeUnits).map((unit) => (
                  <option key={unit} value={unit}>
                    {unit}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <Field
            field="operator"
            value={input.operator}
            error={shown('operator')}
            disabled={disabled}
            onInput={set('operator')}
            placeholder="0x…"
          />
          <Field
            field="unionUrl"
            value={input.unionUrl}
            error={shown('unionUrl')}
            disabled={disabled}
            onInput={set('unionUrl')}
            placeholder="https://union.example"
          />
          <Field
            field="factory"
            value={input.factory}
            error={shown('factory')}
            disabled={disabled}
            onInput={set('factory')}
            placeholder="0x…"
          />
          <div class="actions">
            <span class="muted">Admin: {wallet.address}</span>
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Creating…' : 'Create the union'}
            </button>
          </div>
          {submitted && !result.ok && (
            <p class="warn" role="alert">
              Check the fields marked above; nothing was sent.
            </p>
          )}
        </form>
      )}
      {progress && <Progress progress={progress} />}
      {error !== undefined && <ErrorNote error={error} />}
    </section>
  );
}
