/** The header's wallet: the connected address, or the button that connects one. */
import type { ConnectedWallet } from '../wallet/wallet.ts';
import { shortAddress } from './when.tsx';

export function WalletAccount(props: {
  wallet: ConnectedWallet | null;
  connecting: boolean;
  disabled: boolean;
  onConnect: () => void;
}) {
  return props.wallet ? (
    <span class="address" title={props.wallet.address} data-testid="wallet-address">
      {shortAddress(props.wallet.address)}
    </span>
  ) : (
    <button type="button" class="primary" disabled={props.disabled} onClick={props.onConnect}>
      {props.connecting ? 'Connecting…' : 'Connect wallet'}
    </button>
  );
}
