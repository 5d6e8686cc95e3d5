/**
 * zod schemas for every wire format exchanged between the extension and the union (DESIGN §3).
 * Both sides import these; never copy them. Addresses are 0x-prefixed hex (any case on input,
 * compared case-insensitively); token amounts are decimal strings, never JS numbers.
 */
import { z } from 'zod';

export const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');

export const signatureSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 0x-prefixed 65-byte hex signature');

/** A token amount in base units, as a decimal string (uint256). */
export const amountSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a whole number of token base units, as a string')
  .refine((s) => BigInt(s) < 2n ** 256n, 'must fit in uint256');

const uint = (bits: number) =>
  z
    .number()
    .int()
    .min(0)
    .max(Math.min(2 ** bits - 1, Number.MAX_SAFE_INTEGER));
const int32 = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1);

export const uint16Schema = uint(16);
export const uint32Schema = uint(32);
export const uint64Schema = uint(64);

// ---- JoinRequest -------------------------------------------------------------------------------

export const joinRequestSchema = z.strictObject({
  member: addressSchema,
  issuedAt: uint64Schema,
});

export const joinBodySchema = z.strictObject({
  request: joinRequestSchema,
  signature: signatureSchema,
  secret: z.string().min(1).max(200).optional(),
});
export type JoinBody = z.infer<typeof joinBodySchema>;

/** A join request older than this, or from the future (beyond clock skew), is refused. */
export const JOIN_MAX_AGE_SECONDS = 600;
export const CLOCK_SKEW_SECONDS = 60;

// ---- Report ------------------------------------------------------------------------------------

export const categoryCountSchema = z.strictObject({
  category: uint16Schema,
  visits: int32,
  activeSeconds: int32,
});
export type CategoryCount = z.infer<typeof categoryCountSchema>;

export const reportSchema = z.strictObject({
  member: addressSchema,
  epochStart: uint64Schema,
  epochSeconds: uint32Schema,
  configVersion: uint32Schema,
  counts: z
    .array(categoryCountSchema)
    .max(256)
    .refine(
      (counts) => counts.every((c, i) => i === 0 || counts[i - 1]!.category < c.category),
      'counts must be sorted by category with no category twice',
    ),
});
export type Report = z.infer<typeof reportSchema>;

export const signedReportSchema = z.strictObject({
  report: reportSchema,
  signature: signatureSchema,
});
export type SignedReport = z.infer<typeof signedReportSchema>;

// ---- WithdrawAll -------------------------------------------------------------------------------

export const withdrawAllSchema = z.strictObject({
  member: addressSchema,
  recipient: addressSchema,
  withdrawnBefore: amountSchema,
  minAmount: amountSchema,
  deadline: amountSchema,
});
export type WithdrawAll = z.infer<typeof withdrawAllSchema>;

export const signedWithdrawAllSchema = z.strictObject({
  request: withdrawAllSchema,
  signature: signatureSchema,
});
export type SignedWithdrawAll = z.infer<typeof signedWithdrawAllSchema>;

// ---- Errors ------------------------------------------------------------------------------------

/** Every union error response: a stable code and one human sentence. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string() }),
});
