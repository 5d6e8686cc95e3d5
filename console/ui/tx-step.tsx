/** One line of a transaction's progress list: what it does, its stage, and its hash once sent. */
import type { TxStage } from '../wallet/wallet.ts';
import { shortAddress } from './when.tsx';

const stageText: Record<TxStage, string> = {
  wallet: 'waiting for the wallet…',
  pending: 'pending…',
  mined: 'mined',
};

export function TxStep(props: {
  testId: string;
  label: string;
  stage: TxStage;
  hash?: string | undefined;
}) {
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
