/**
 * HPKE for DAP-09 (§4.4.2 upload, §4.6.5 aggregate shares) through `@hpke/core`, the core of
 * hpke-js (the library `@divviup/dap` seals with): no cryptography is written here, only the
 * `info` strings and AAD the draft fixes and the key handling around them.
 *
 * Suite: DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM, the default of Janus and Divvi Up.
 * `@hpke/core`'s X25519 KEM runs on the platform's WebCrypto X25519 (Node ≥ 20), where hpke-js's
 * `CipherSuite` picks a JavaScript implementation of the curve — the same algorithm and bytes (the
 * real client's shares open), at a tenth of the CPU per open (`npm run bench:dap`).
 */
import {
  AeadId,
  Aes128Gcm,
  CipherSuite,
  DhkemX25519HkdfSha256,
  HkdfSha256,
  KdfId,
  KemId,
} from '@hpke/core';
import { decode, encode } from './codec.ts';
import {
  inputShareAadCodec,
  plaintextInputShareCodec,
  type HpkeCiphertext,
  type HpkeConfig,
  type InputShareAad,
  type PlaintextInputShare,
} from './upload.ts';
import { aggregateShareAadCodec, type AggregateShareAad } from './collection.ts';

/** `enum { collector(0), client(1), leader(2), helper(3), (255) } Role;` */
export const Role = { collector: 0, client: 1, leader: 2, helper: 3 } as const;
export type AggregatorRole = typeof Role.leader | typeof Role.helper;

const DAP_VERSION = 'dap-09';
const ascii = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, p) => (out.set(p, offset), offset + p.length), 0);
  return out;
};

/** `"dap-09 input share" || 0x01 || server_role`: client → aggregator. */
export function inputShareInfo(role: AggregatorRole): Uint8Array {
  return concat(ascii(`${DAP_VERSION} input share`), Uint8Array.of(Role.client, role));
}

/** `"dap-09 aggregate share" || server_role || 0x00`: aggregator → collector. */
export function aggregateShareInfo(role: AggregatorRole): Uint8Array {
  return concat(ascii(`${DAP_VERSION} aggregate share`), Uint8Array.of(role, Role.collector));
}

const SUITE = {
  kem: KemId.DhkemX25519HkdfSha256,
  kdf: KdfId.HkdfSha256,
  aead: AeadId.Aes128Gcm,
} as const;

const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes128Gcm(),
});

/** An aggregator's (or the collector's) HPKE key: the public config it publishes and its secret. */
export interface HpkeKeypair {
  readonly config: HpkeConfig;
  readonly privateKey: Uint8Array;
}

export async function generateHpkeKeypair(configId: number): Promise<HpkeKeypair> {
  const pair = await suite.kem.generateKeyPair();
  return {
    config: {
      id: configId,
      kemId: SUITE.kem,
      kdfId: SUITE.kdf,
      aeadId: SUITE.aead,
      publicKey: new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey)),
    },
    privateKey: new Uint8Array(await suite.kem.serializePrivateKey(pair.privateKey)),
  };
}

export type HpkeFailure = 'hpke_unknown_config_id' | 'hpke_decrypt_error';

/** Opening failed: the code is the DAP PrepareError / problem type the caller reports. */
export class HpkeOpenError extends Error {
  override readonly name = 'HpkeOpenError';
  constructor(
    readonly code: HpkeFailure,
    message: string,
  ) {
    super(message);
  }
}

function checkSuite(config: HpkeConfig): void {
  if (config.kemId !== SUITE.kem || config.kdfId !== SUITE.kdf || config.aeadId !== SUITE.aead) {
    throw new RangeError(
      `HPKE config ${config.id} uses KEM ${config.kemId}/KDF ${config.kdfId}/AEAD ${config.aeadId}; only X25519/HKDF-SHA256/AES-128-GCM is supported.`,
    );
  }
}

export async function seal(
  config: HpkeConfig,
  info: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<HpkeCiphertext> {
  checkSuite(config);
  const recipientPublicKey = await suite.kem.deserializePublicKey(config.publicKey);
  const { ct, enc } = await suite.seal({ recipientPublicKey, info }, plaintext, aad);
  return { configId: config.id, enc: new Uint8Array(enc), payload: new Uint8Array(ct) };
}

/**
 * Each keypair's private key is imported once, as a key pair: given only the private key, the KEM
 * would re-derive the public key (a scalar multiplication) on every open.
 */
const recipientKeys = new WeakMap<HpkeKeypair, Promise<CryptoKeyPair>>();

function recipientKeyOf(keypair: HpkeKeypair): Promise<CryptoKeyPair> {
  let key = recipientKeys.get(keypair);
  if (key === undefined) {
    key = Promise.all([
      suite.kem.deserializePrivateKey(keypair.privateKey),
      suite.kem.deserializePublicKey(keypair.config.publicKey),
    ]).then(([privateKey, publicKey]) => ({ privateKey, publicKey }));
    // A key that does not import is not cached: the open fails now and is tried again next time.
    key.catch(() => recipientKeys.delete(keypair));
    recipientKeys.set(keypair, key);
  }
  return key;
}

export async function open(
  keypairs: readonly HpkeKeypair[],
  ciphertext: HpkeCiphertext,
  info: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  const keypair = keypairs.find((k) => k.config.id === ciphertext.configId);
  if (keypair === undefined) {
    throw new HpkeOpenError(
      'hpke_unknown_config_id',
      `No HPKE key with config id ${ciphertext.configId}: the client used an outdated config.`,
    );
  }
  try {
    const recipientKey = await recipientKeyOf(keypair);
    const plaintext = await suite.open(
      { recipientKey, enc: ciphertext.enc, info },
      ciphertext.payload,
      aad,
    );
    return new Uint8Array(plaintext);
  } catch (cause) {
    throw new HpkeOpenError(
      'hpke_decrypt_error',
      `The ${info.length}-byte-info ciphertext does not open with HPKE key ${keypair.config.id}: it was sealed to another key, for another role, or altered (${String(cause)}).`,
    );
  }
}

/** An aggregator opens its input share of a report: role and AAD bind it to this task and report. */
export async function openInputShare(
  keypairs: readonly HpkeKeypair[],
  role: AggregatorRole,
  ciphertext: HpkeCiphertext,
  aad: InputShareAad,
): Promise<PlaintextInputShare> {
  const plaintext = await open(
    keypairs,
    ciphertext,
    inputShareInfo(role),
    encode(inputShareAadCodec, aad),
  );
  return decode(plaintextInputShareCodec, plaintext, 'plaintext input share');
}

/** An aggregator seals its aggregate share to the collector's HPKE config. */
export async function sealAggregateShare(
  collectorConfig: HpkeConfig,
  role: AggregatorRole,
  aggregateShare: Uint8Array,
  aad: AggregateShareAad,
): Promise<HpkeCiphertext> {
  return seal(
    collectorConfig,
    aggregateShareInfo(role),
    aggregateShare,
    encode(aggregateShareAadCodec, aad),
  );
}

export async function openAggregateShare(
  collectorKeypairs: readonly HpkeKeypair[],
  role: AggregatorRole,
  ciphertext: HpkeCiphertext,
  aad: AggregateShareAad,
): Promise<Uint8Array> {
  return open(
    collectorKeypairs,
    ciphertext,
    aggregateShareInfo(role),
    encode(aggregateShareAadCodec, aad),
  );
}
