/**
 * A list of transactions in progress (`TxProgress`) and one line of it (`TxStep`): what it does,
 * its stage, and its hash once sent.
 */
import type { TxStage } from '../wallet/wallet.ts';
import { shortAddress } from './when.tsx';

const stageText: Record<TxStage, string> = {
  wallet: 'waiting for the wallet…',
  pending: 'pending…',
  mined: 'mined',
};

export function TxStep(props: TxStepProps) {
  return (
    <li data-testid={props.testId} data-stage={props.stage}>
      {props.label}: <strong>{stageText[props.stage]}</strong>
      {props.hash && (
        <span class="muted mono" title={props.hash}>
          {' '}
          {shortAddress(props.hash)}
        </span>
      )}
    </li>
  );
}

export interface TxStepProps {
  testId: string;
  label: string;
  stage: TxStage;
  hash?: string | undefined;
}

/** The progress list of one or more transactions, announced politely to screen readers. */
export function TxProgress(props: { label: string; steps: readonly TxStepProps[] }) {
  return (
    <ol class="tx-progress" aria-label={props.label} aria-live="polite">
      {props.steps.map((step) => (
        <TxStep key={step.testId} {...step} />
      ))}
    </ol>
  );
}
