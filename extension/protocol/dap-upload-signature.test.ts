import { getBytes, TypedDataEncoder, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';

import {
  decodeMemberSignature,
  encodeMemberSignature,
  MEMBER_SIGNATURE_DATA_BYTES,
  signDapUpload,
  verifyDapUpload,
  dapUploadTypedData,
  type DapUpload,
} from './dap-upload-signature.ts';
import { unionDomain } from './eip712.ts';

const member = new Wallet(`0x${'11'.repeat(32)}`);
const stranger = new Wallet(`0x${'22'.repeat(32)}`);
const domain = unionDomain(31337, `0x${'ab'.repeat(20)}`);
const upload: DapUpload = {
  member: member.address,
  taskId: new Uint8Array(32).fill(7),
  reportId: new Uint8Array(16).fill(9),
  epochStart: 1_764_979_200,
  publicShare: new Uint8Array(32).fill(3),
};
const { member: _, ...report } = upload;

describe('the member signature on a DAP upload', () => {
  it('verifies to the member who signed it, carried as 85 bytes of extension data', async () => {
    const data = encodeMemberSignature(await signDapUpload(member, domain, upload));
    expect(data).toHaveLength(MEMBER_SIGNATURE_DATA_BYTES);
    expect(verifyDapUpload(domain, report, data)).toBe(member.address);
  });

  it('is the EIP-712 DapUpload digest under the union domain (what a wallet would sign)', async () => {
    const { types, message } = dapUploadTypedData(upload);
    const signed = await signDapUpload(member, domain, upload);
    const direct = await member.signTypedData(domain, types, message);
    expect(signed.signature).toEqual(getBytes(direct));
    expect(TypedDataEncoder.from(types).encodeType('DapUpload')).toBe(
      'DapUpload(address member,bytes32 taskId,bytes16 reportId,uint64 epochStart,bytes publicShare)',
    );
  });

  it.each([
    ['another report id', { reportId: new Uint8Array(16).fill(1) }],
    ['another task', { taskId: new Uint8Array(32).fill(1) }],
    ['another epoch', { epochStart: upload.epochStart + 86_400 }],
    ['another public share', { publicShare: new Uint8Array(32).fill(4) }],
  ])('does not verify for %s', async (_what, change) => {
    const data = encodeMemberSignature(await signDapUpload(member, domain, upload));
    expect(() => verifyDapUpload(domain, { ...report, ...change }, data)).toThrow(
      expect.objectContaining({ code: 'DAP_SIGNATURE_WRONG_SIGNER' }),
    );
  });

  it('does not verify under another union or chain', async () => {
    const data = encodeMemberSignature(await signDapUpload(member, domain, upload));
    const other = unionDomain(1, domain.verifyingContract);
    expect(() => verifyDapUpload(other, report, data)).toThrow(
      expect.objectContaining({ code: 'DAP_SIGNATURE_WRONG_SIGNER' }),
    );
  });

  it('refuses a signature by someone other than the address the extension names', async () => {
    const forged = await signDapUpload(stranger, domain, upload);
    const data = encodeMemberSignature({ member: member.address, signature: forged.signature });
    expect(() => verifyDapUpload(domain, report, data)).toThrow(
      expect.objectContaining({ code: 'DAP_SIGNATURE_WRONG_SIGNER' }),
    );
  });

  it('refuses extension data of the wrong length with a stable code', () => {
    expect(() => decodeMemberSignature(new Uint8Array(84))).toThrow(
      expect.objectContaining({ code: 'DAP_SIGNATURE_MALFORMED' }),
    );
    const garbage = new Uint8Array(MEMBER_SIGNATURE_DATA_BYTES);
    expect(() => verifyDapUpload(domain, report, garbage)).toThrow(
      expect.objectContaining({ code: 'DAP_SIGNATURE_INVALID' }),
    );
  });
});
