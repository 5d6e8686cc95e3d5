import fc from 'fast-check';
import { hexlify, TypedDataEncoder } from 'ethers';
import { describe, expect, it } from 'vitest';

import { asTypes, joinRequestTypes, unionDomain } from '../../extension/protocol/eip712.ts';
import { leaveRequestTypes } from '../../extension/protocol/leave.ts';
import { reportTypes } from '../../extension/protocol/eip712.ts';
import { memberRequestDigester } from './member-request-digest.ts';

describe('member request digest', () => {
  it("equals ethers' TypedDataEncoder.hash for joins and leaves", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (member, issuedAt, dataUnion, chainId) => {
          const domain = unionDomain(chainId, hexlify(dataUnion));
          const request = { member: hexlify(member), issuedAt };
          for (const types of [joinRequestTypes, leaveRequestTypes]) {
            expect(hexlify(memberRequestDigester(domain, types)(request))).toBe(
              TypedDataEncoder.hash(domain, asTypes(types), request),
            );
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses any other type', () => {
    expect(() =>
      memberRequestDigester(unionDomain(1, `0x${'11'.repeat(20)}`), reportTypes),
    ).toThrow(/one type/);
  });
});
