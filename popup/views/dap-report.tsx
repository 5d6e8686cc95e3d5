/**
 * One DAP report in "What was sent": the measurement in readable form (category → contributed,
 * visits, active minutes), who can read which part, and — once built — the exact bytes sent, their
 * size, shown in full on request and copyable.
 */
import { readableMeasurement } from '../lib/dap-measurement.ts';
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { hexPreview, hexSize } from '../lib/dap-bytes.ts';
import { t } from '../lib/i18n.ts';

type DapReport = NonNullable<ResultOf<'sentLog'>['entries'][number]['dap']>;

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
        {readableMeasurement(dap.categoryIds, dap.measurement).map((entry) => (
          <tr key={entry.category}>
            <td>{labels.get(entry.category) ?? `#${entry.category}`}</td>
            <td>{entry.flag > 0 ? t('dapYes') : t('dapNo')}</td>
            <td>{entry.visits}</td>
            <td>{entry.activeMinutes}</td>
          </tr>
        ))}
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
