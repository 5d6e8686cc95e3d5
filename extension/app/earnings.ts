/**
 * Revenue share, member side: earnings from the union's member API and gasless withdrawal. The
 * `WithdrawAll` is signed here, in the service worker, by the vault; the key never leaves it.
 */
import { getAddress, ZeroAddress } from 'ethers';
import { z } from 'zod';

import { formatAmount } from '../protocol/amounts.ts';
import { asTypes, unionDomain, withdrawAllTypes } from '../protocol/eip712.ts';
import { CrowdsellError } from '../protocol/errors.ts';
import type { ResultOf } from '../protocol/messages.ts';
import { withdrawalStatus } from '../protocol/message-views.ts';
import {
  addressSchema,
  amountSchema,
  signedWithdrawAllSchema,
  type WithdrawAll,
} from '../protocol/wire.ts';
import { unionError } from '../outbox/outbox.ts';
import type { Ctx } from './context.ts';
import { send, unionFetch } from './union-api.ts';

/** How long a signed withdrawal stays valid for the relay. */
export const WITHDRAW_DEADLINE_SECONDS = 3600;

const earningsAnswer = z.looseObject({
  total: amountSchema,
  withdrawn: amountSchema,
  withdrawable: amountSchema,
  pending: amountSchema,
  nextUsableAt: z.string().nullable(),
  /** The smallest payout the union relays (absent from unions older than issue 16). */
  minWithdrawal: amountSchema.optional(),
  token: z.looseObject({
    address: addressSchema,
    symbol: z.string().max(32),
    decimals: z.number().int().min(0).max(36),
  }),
});

const withdrawalAnswer = z.looseObject({
  id: z.string().min(1),
  txHash: z.string().nullable().optional(),
  status: withdrawalStatus,
  amount: amountSchema.nullable().optional(),
  recipient: addressSchema.nullable().optional(),
});

export type EarningsResult = ResultOf<'earnings'>;
export type WithdrawalResult = ResultOf<'withdraw'>;

function unavailable(message: string): EarningsResult {
  return { state: 'unavailable', message };
}

function failure(response: Response, text: string): CrowdsellError {
  const error = unionError(text);
  return new CrowdsellError(
    error?.code ?? `HTTP_${response.status}`,
    error?.message ?? `The union answered ${response.status}.`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

async function readAnswer<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw failure(response, text);
  const parsed = schema.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new CrowdsellError('UNION_BAD_ANSWER', 'The union’s answer could not be understood.');
  }
  return parsed.data;
}

/** The member's earnings, or `unavailable` when the union shares no revenue or cannot be reached. */
export async function fetchEarnings(ctx: Ctx): Promise<EarningsResult> {
  const { unionUrl } = ctx.deps.settings;
  let response: Response;
  try {
    response = await send(unionFetch(ctx), `${unionUrl}/v1/members/${ctx.state.address}/earnings`, {
      headers: { accept: 'application/json' },
    });
  } catch {
    return unavailable('The union could not be reached; your earnings will show once it can be.');
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return unavailable(
      'This union does not share revenue (yet), so there are no earnings to show.',
    );
  }
  if (response.status === 503) {
    await response.body?.cancel();
    return unavailable('The union’s earnings service is not available right now; try again later.');
  }
  const answer = await readAnswer(response, earningsAnswer);
  const usableAt = answer.nextUsableAt === null ? Number.NaN : Date.parse(answer.nextUsableAt);
  return {
    state: 'available',
    token: {
      address: answer.token.address,
      symbol: answer.token.symbol,
      decimals: answer.token.decimals,
    },
    total: answer.total,
    withdrawable: answer.withdrawable,
    pending: answer.pending,
    withdrawn: answer.withdrawn,
    pendingUsableAt: Number.isFinite(usableAt) ? usableAt : null,
    ...(answer.minWithdrawal === undefined ? {} : { minWithdrawal: answer.minWithdrawal }),
  };
}

/** A checksummed recipient, or a `INVALID_RECIPIENT` error the member can act on. */
export function checkRecipient(input: string): string {
  let recipient: string;
  try {
    recipient = getAddress(input.trim());
  } catch {
    throw new CrowdsellError(
      'INVALID_RECIPIENT',
      'The recipient is not a valid address (check it for typos: the checksum does not match).',
    );
  }
  if (recipient === ZeroAddress) {
    throw new CrowdsellError(
      'INVALID_RECIPIENT',
      'Tokens sent to the zero address would be lost; choose another recipient.',
    );
  }
  return recipient;
}

function toView(answer: z.infer<typeof withdrawalAnswer>): WithdrawalResult {
  return {
    id: answer.id,
    txHash: answer.txHash ?? null,
    status: answer.status,
    amount: answer.amount ?? null,
    recipient: answer.recipient ?? null,
  };
}

/**
 * Withdraws everything withdrawable to `recipientInput`: checks the recipient and that something is
 * withdrawable, signs a `WithdrawAll` with the vault and posts it to the union's relay.
 *
 * The request's `minAmount` is what is withdrawable now, never less than `shownAmount` (what the
 * popup showed the member): whoever holds the signature cannot spend it on an older root that pays
 * less. If less is withdrawable than was shown, nothing is signed and the member looks again.
 */
export async function withdrawAll(
  ctx: Ctx,
  recipientInput: string,
  shownAmount: string,
): Promise<WithdrawalResult> {
  const recipient = checkRecipient(recipientInput);
  const earnings = await fetchEarnings(ctx);
  if (earnings.state === 'unavailable') {
    throw new CrowdsellError('EARNINGS_UNAVAILABLE', earnings.message);
  }
  const withdrawable = BigInt(earnings.withdrawable);
  if (withdrawable === 0n) {
    throw new CrowdsellError(
      'NOTHING_TO_WITHDRAW',
      'Nothing is withdrawable yet: earnings become withdrawable once they are in a published root whose freeze period has passed.',
    );
  }
  // Every digit: rounded, a minimum could read as reached when it is not.
  const exact = (amount: string) => formatAmount(amount, earnings.token, earnings.token.decimals);
  if (earnings.minWithdrawal !== undefined && withdrawable < BigInt(earnings.minWithdrawal)) {
    throw new CrowdsellError(
      'WITHDRAWAL_TOO_SMALL',
      `Withdrawals start at ${exact(earnings.minWithdrawal)} (the union pays the gas, so it does not relay smaller payouts); you have ${exact(earnings.withdrawable)}.`,
    );
  }
  if (withdrawable < BigInt(shownAmount)) {
    throw new CrowdsellError(
      'WITHDRAWABLE_CHANGED',
      'Less is withdrawable now than was shown (the union’s newest usable root changed); look at the amount again before withdrawing.',
    );
  }
  const { settings } = ctx.deps;
  const request: WithdrawAll = {
    member: ctx.state.address,
    recipient,
    withdrawnBefore: earnings.withdrawn,
    minAmount: earnings.withdrawable,
    deadline: String(Math.floor(ctx.deps.now() / 1000) + WITHDRAW_DEADLINE_SECONDS),
  };
  const signature = await ctx.vault.signTypedData(
    unionDomain(settings.chainId, settings.dataUnionAddress),
    asTypes(withdrawAllTypes),
    request,
  );
  const body = signedWithdrawAllSchema.parse({ request, signature });
  const response = await send(unionFetch(ctx), `${settings.unionUrl}/v1/withdrawals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await readAnswer(response, withdrawalAnswer);
  return { ...toView(answer), amount: answer.amount ?? earnings.withdrawable, recipient };
}

/** The relay's view of one withdrawal (`pending` → `mined` → `confirmed`, or `failed`). */
export async function withdrawalState(ctx: Ctx, id: string): Promise<WithdrawalResult> {
  const { unionUrl } = ctx.deps.settings;
  const response = await send(
    unionFetch(ctx),
    `${unionUrl}/v1/withdrawals/${encodeURIComponent(id)}`,
    { headers: { accept: 'application/json' } },
  );
  return toView(await readAnswer(response, withdrawalAnswer));
}
