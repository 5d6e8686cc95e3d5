/**
 * EIP-712 domain and typed-data types for every signed wire format (DESIGN §3). One source of
 * truth: the extension signs with these, the union and the contracts verify against the same.
 *
 * Domain `{ name: "Crowdsell", version: "1", chainId, verifyingContract: <DataUnion> }` binds a
 * signature to one union on one chain.
 */
export interface UnionDomain {
  name: 'Crowdsell';
  version: '1';
  chainId: bigint | number;
  verifyingContract: string;
}

export function unionDomain(chainId: bigint | number, dataUnion: string): UnionDomain {
  return { name: 'Crowdsell', version: '1', chainId, verifyingContract: dataUnion };
}

export const joinRequestTypes = {
  JoinRequest: [
    { name: 'member', type: 'address' },
    { name: 'issuedAt', type: 'uint64' },
  ],
} as const;

/**
 * Counts are `int32`, not `uint32` as first drafted in DESIGN §3: local differential privacy adds
 * zero-mean noise, so an honest noisy count can be negative, and clamping it at zero would bias
 * every aggregate upwards. See docs/decisions.md (D-001).
 */
export const reportTypes = {
  Report: [
    { name: 'member', type: 'address' },
    { name: 'epochStart', type: 'uint64' },
    { name: 'epochSeconds', type: 'uint32' },
    { name: 'configVersion', type: 'uint32' },
    { name: 'counts', type: 'CategoryCount[]' },
  ],
  CategoryCount: [
    { name: 'category', type: 'uint16' },
    { name: 'visits', type: 'int32' },
    { name: 'activeSeconds', type: 'int32' },
  ],
} as const;

/**
 * `withdrawnBefore` is the nonce (the contract's `withdrawn(member)`); `minAmount` is the least the
 * member agrees to be paid — the withdrawable amount they were shown — so whoever holds the
 * signature cannot spend it on an older root that pays less (docs/decisions.md).
 */
export const withdrawAllTypes = {
  WithdrawAll: [
    { name: 'member', type: 'address' },
    { name: 'recipient', type: 'address' },
    { name: 'withdrawnBefore', type: 'uint256' },
    { name: 'minAmount', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const;

/**
 * A member signs each DAP report it uploads (docs/private-aggregation.md, "Member signatures"):
 * the task, the report id, the epoch it contributes to (the report's time) and the report's public
 * share — never the measurement. See extension/protocol/dap-upload-signature.ts.
 */
export const dapUploadTypes = {
  DapUpload: [
    { name: 'member', type: 'address' },
    { name: 'taskId', type: 'bytes32' },
    { name: 'reportId', type: 'bytes16' },
    { name: 'epochStart', type: 'uint64' },
    { name: 'publicShare', type: 'bytes' },
  ],
} as const;

/** The admin signs a config's version and the keccak256 of its canonical JSON. */
export const unionConfigTypes = {
  UnionConfig: [
    { name: 'version', type: 'uint32' },
    { name: 'configHash', type: 'bytes32' },
  ],
} as const;

/** Typed-data `types` objects as ethers expects them (mutable arrays). */
export type TypedDataTypes = Record<string, { name: string; type: string }[]>;

export function asTypes(types: Record<string, readonly { name: string; type: string }[]>) {
  return types as unknown as TypedDataTypes;
}
