/**
 * Leaving the union (DESIGN §6: one click), signed like a join so nobody can make another member
 * leave: `LeaveRequest { address member; uint64 issuedAt }` under the union's EIP-712 domain,
 * fresh within the same 10 minutes as a join. Leaving stops earning; it never removes what was
 * earned.
 */
import { z } from 'zod';

import { addressSchema, signatureSchema, uint64Schema } from './wire.ts';

export const leaveRequestTypes = {
  LeaveRequest: [
    { name: 'member', type: 'address' },
    { name: 'issuedAt', type: 'uint64' },
  ],
} as const;

export const leaveRequestSchema = z.strictObject({
  member: addressSchema,
  issuedAt: uint64Schema,
});

export const leaveBodySchema = z.strictObject({
  request: leaveRequestSchema,
  signature: signatureSchema,
});
export type LeaveBody = z.infer<typeof leaveBodySchema>;
