/**
 * One DAP report in "What was sent": the measurement in readable form (category → contributed,
 * visits, active minutes), who can read which part, and — once built — the exact bytes sent, their
 * size, shown in full on request and copyable.
 */
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { hexPreview, hexSize } from '../lib/dap-bytes.ts';
import { t } from '../lib/i18n.ts';

type DapReport = NonNullable<ResultOf<'sentLog'>['entries'][number]['dap']>;

const ENTRIES = 3;

function MeasurementTable({ dap, labels }: { dap: DapReport; labels: Map<number, string> }) {
  return (
    <table class="counts" data-testid="dap-measurement">
      <caption class="small">{t('dapMeasurementCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('sentCategory')}</th>
          <th scope="col">{t('dapFlag')}</th>
          <th scope="col">{t('sentVisits')}</th>
          <th scope="col">{t('dapActiveMinutes')}</th>
        </tr>
      </thead>
      <tbody>
        {dap.categoryIds.map((category, i) => {
          const at = (k: number) => dap.measurement[i * ENTRIES + k] ?? 0;
          return (
            <tr key={category}>
              <td>{labels.get(category) ?? `#${category}`}</td>
              <td>{at(0) > 0 ? t('dapYes') : t('dapNo')}</td>
              <td>{at(1)}</td>
              <td>{at(2)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ExactBytes({ hex }: { hex: string }) {
  return (
    <div data-testid="dap-bytes">
      <p class="small">{t('dapBytes', String(hexSize(hex)))}</p>
      <pre class="raw">{hexPreview(hex)}</pre>
      <details>
        <summary>{t('dapShowAllBytes')}</summary>
        <pre class="raw">{hex.slice(2)}</pre>
      </details>
      <button
        type="button"
        class="small-button"
        onClick={() => void navigator.clipboard.writeText(hex.slice(2))}
      >
        {t('dapCopyBytes')}
      </button>
    </div>
  );
}

export function DapReportDetails({ dap, labels }: { dap: DapReport; labels: Map<number, string> }) {
  return (
    <>
      <MeasurementTable dap={dap} labels={labels} />
      <p class="small muted">{t('dapOffNote')}</p>
      <p class="small">{t('dapWhoReads')}</p>
      {dap.bytes === null ? (
        <p class="small muted">{t('dapBytesPending')}</p>
      ) : (
        <ExactBytes hex={dap.bytes} />
      )}
    </>
  );
}
