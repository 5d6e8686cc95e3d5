/**
 * A member's signed WithdrawAll posted to a union's relay, as the extension sends it: the
 * request is good for an hour of chain time.
 */
import type { Wallet } from 'ethers';

import { asTypes, unionDomain, withdrawAllTypes } from '../../extension/protocol/eip712.ts';
import type { UnionServer } from '../app.ts';
import type { ChainFixture } from './chain-fixture.ts';

export interface WithdrawAllFields {
  recipient: string;
  /** What the member had withdrawn when signing (base units, decimal). */
  withdrawnBefore: string;
  /** The least the member accepts (base units, decimal). */
  minAmount: string;
}

export async function postWithdrawAll(
  fx: ChainFixture,
  server: UnionServer,
  member: Wallet,
  fields: WithdrawAllFields,
) {
  const request = {
    member: member.address,
    ...fields,
    deadline: String((await fx.chainTime()) + 3600),
  };
  const signature = await member.signTypedData(
    unionDomain(31337, fx.deployment.dataUnion),
    asTypes(withdrawAllTypes),
    request,
  );
  return server.app.inject({
    method: 'POST',
    url: '/v1/withdrawals',
    payload: { request, signature },
  });
}
