/**
 * What protects the member under a config with an aggregation block, in plain words: two
 * organisations that must not collude, central ε per period, the minimum batch of k members,
 * what collusion would reveal, and whether the device adds noise of its own.
 */
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { t } from '../lib/i18n.ts';

type Aggregation = NonNullable<ResultOf<'status'>['config']['aggregation']>;

const originOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export function DapProtection({ aggregation }: { aggregation: Aggregation }) {
  const k = String(aggregation.minBatchSize);
  return (
    <section class="card" data-testid="dap-protection" aria-labelledby="dap-protection-title">
      <h3 id="dap-protection-title">{t('dapProtectionTitle')}</h3>
      <p class="small">
        {t(
          'dapProtectionBody',
          originOf(aggregation.leaderUrl),
          originOf(aggregation.helperUrl),
          k,
          String(aggregation.centralEpsilon),
        )}
      </p>
      <p class="small">{t('dapCollusion', k)}</p>
      <p class="small">
        {aggregation.localEpsilon === null
          ? t('dapLocalNoiseOff')
          : t('dapLocalNoiseOn', String(aggregation.localEpsilon))}
      </p>
    </section>
  );
}
