/** The validator's last check of the committed roots (public GET /v1/validator/status). */
import { loadValidatorStatus } from '../api/stats.ts';
import { ErrorNote, Loading } from '../ui/states.tsx';
import { useLoad } from '../ui/use-load.ts';
import { shortAddress, When } from '../ui/when.tsx';

export function ValidatorPanel({ frozenRoot }: { frozenRoot: boolean }) {
  const status = useLoad(loadValidatorStatus);
  const data = status.data;
  return (
    <article class="card" aria-labelledby="validator-title" data-testid="validator-panel">
      <h2 id="validator-title">Validator</h2>
      {status.loading && !data && <Loading what="the validator status" />}
      {status.error !== undefined && <ErrorNote error={status.error} onRetry={status.reload} />}
      {data?.kind === 'unavailable' && (
        <p class="muted" data-testid="validator-state">
          Validator status not available: this union does not publish it.
        </p>
      )}
      {data?.kind === 'status' && data.lastRun === null && (
        <p class="muted" data-testid="validator-state">
          No validator run yet.
        </p>
      )}
      {data?.kind === 'status' && data.lastRun && (
        <>
          {data.lastRun.ok ? (
            <p class="notice" data-testid="validator-state">
              OK — the committed roots match the replayed books.
            </p>
          ) : (
            <div class="state-error" role="alert" data-testid="validator-state">
              <p>
                <strong>Alarm:</strong> {data.lastRun.problem ?? 'the validator found a mismatch.'}
              </p>
              {frozenRoot && (
                <p>The latest root is still frozen: you can revoke it before it becomes usable.</p>
              )}
            </div>
          )}
          <p class="muted small">
            Checked <When iso={data.lastRun.checkedAt} />: {data.lastRun.commitsChecked} commits up
            to block {data.lastRun.blockNumber} (root{' '}
            <span class="mono" title={data.lastRun.root}>
              {shortAddress(data.lastRun.root)}
            </span>
            ).
          </p>
        </>
      )}
    </article>
  );
}
