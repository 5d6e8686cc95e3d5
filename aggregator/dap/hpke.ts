/**
 * HPKE for DAP-09 (§4.4.2 upload, §4.6.5 aggregate shares) through the `hpke` library (RFC 9180,
 * maintained by panva): no cryptography is written here, only the `info` strings and AAD the draft
 * fixes and the key handling around them.
 *
 * Suite: DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM, the default of Janus and Divvi Up.
 * Each algorithm is a maintained implementation plugged into the library's modular suite (its
 * documented way to pick them): the KEM's X25519 runs on the platform's WebCrypto; every
 * HKDF-SHA256 — the suite's key schedule and the KEM's own extract-and-expand — on
 * `@panva/hpke-noble`'s (`@noble/hashes`) in JavaScript, since each is a few HMACs over a few dozen
 * bytes, where each WebCrypto call is a thread-pool job costing more than the hash; AES-128-GCM on
 * WebCrypto here, which the extension bundles to seal, and on Node's OpenSSL cipher where the
 * servers open (`hpke-open.ts`). Same algorithm and bytes as the client's hpke-js (the real
 * client's shares open; `hpke.test.ts`), at about 40 % of the CPU per open of `@hpke/core`
 * (`npm run bench:dap`).
 */
import { KDF_HKDF_SHA256 } from '@panva/hpke-noble';
import {
  AEAD_AES_128_GCM,
  CipherSuite,
  KEM_DHKEM_X25519_HKDF_SHA256,
  type AEADFactory,
  type CryptoKey,
  type KEMFactory,
} from 'hpke';
import { encode } from './codec.ts';
import type { HpkeCiphertext, HpkeConfig } from './upload.ts';
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

/** Each key's raw export, once: a `CryptoKey` is immutable, so its export never changes. */
const rawPublicKeys = new WeakMap<CryptoKey, Promise<Uint8Array>>();

/**
 * The library's X25519 KEM with two changes that keep its bytes:
 * - `SerializePublicKey` memoised per key: decapsulation serialises the recipient's public key on
 *   every open (for the KEM context), a WebCrypto export — a thread-pool job — for a key that is
 *   imported once and used for every report. Each call gets its own copy of the 32 bytes.
 * - its HKDF-SHA256 is the JavaScript one of the suite's key schedule: the library's DHKEM derives
 *   the shared secret through the KDF in its own `kdf` field (`hpke` 1.1.7, `ExtractAndExpand`),
 *   which is WebCrypto's — an HMAC key import and a thread-pool job for each of its two steps. Should
 *   a later version stop reading the field, the KEM keeps its WebCrypto HKDF: same bytes, slower.
 */
const x25519Kem: KEMFactory<CryptoKey> = () => {
  const kem = KEM_DHKEM_X25519_HKDF_SHA256();
  const ours = {
    ...kem,
    kdf: KDF_HKDF_SHA256(),
    async SerializePublicKey(key: CryptoKey) {
      let raw = rawPublicKeys.get(key);
      if (raw === undefined) {
        raw = kem.SerializePublicKey(key);
        raw.catch(() => rawPublicKeys.delete(key));
        rawPublicKeys.set(key, raw);
      }
      return (await raw).slice();
    },
  };
  return ours;
};

/** The suite with `aead` as its AES-128-GCM: WebCrypto's here (bundle-safe), OpenSSL's to open. */
export const suiteWith = (aead: AEADFactory) => new CipherSuite(x25519Kem, KDF_HKDF_SHA256, aead);

const suite = suiteWith(AEAD_AES_128_GCM);

/** The IANA HPKE identifiers of the suite, as an `HpkeConfig` names them. */
const SUITE = { kem: suite.KEM.id, kdf: suite.KDF.id, aead: suite.AEAD.id } as const;

/** An aggregator's (or the collector's) HPKE key: the public config it publishes and its secret. */
export interface HpkeKeypair {
  readonly config: HpkeConfig;
  readonly privateKey: Uint8Array;
}

export async function generateHpkeKeypair(configId: number): Promise<HpkeKeypair> {
  const pair = await suite.GenerateKeyPair(true);
  return {
    config: {
      id: configId,
      kemId: SUITE.kem,
      kdfId: SUITE.kdf,
      aeadId: SUITE.aead,
      publicKey: await suite.SerializePublicKey(pair.publicKey),
    },
    privateKey: await suite.SerializePrivateKey(pair.privateKey),
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
  const recipientPublicKey = await suite.DeserializePublicKey(config.publicKey);
  const sealed = await suite.Seal(recipientPublicKey, plaintext, { aad, info });
  return { configId: config.id, enc: sealed.encapsulatedSecret, payload: sealed.ciphertext };
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
