/**
 * Opening HPKE ciphertexts on the servers — an aggregator its input shares, the collector the
 * aggregate shares — with the suite of `hpke.ts` but AES-128-GCM on Node's OpenSSL cipher
 * (`hpke-aes-gcm.ts`): one synchronous call per open instead of a WebCrypto key import and a
 * thread-pool job. Its own module because it needs `node:crypto`: the extension bundles `hpke.ts`
 * to seal, and sealing stays on WebCrypto there. The bytes are the same either way (the real
 * client's shares open, `client-interop.test.ts`; `@hpke/core` interop, `hpke.test.ts`).
 */
import type { CryptoKey, KeyPair } from 'hpke';
import { decode, encode } from './codec.ts';
import { aggregateShareAadCodec, type AggregateShareAad } from './collection.ts';
import {
  aggregateShareInfo,
  HpkeOpenError,
  inputShareInfo,
  suiteWith,
  type AggregatorRole,
  type HpkeKeypair,
} from './hpke.ts';
import { AEAD_AES_128_GCM_NODE } from './hpke-aes-gcm.ts';
import {
  inputShareAadCodec,
  plaintextInputShareCodec,
  type HpkeCiphertext,
  type InputShareAad,
  type PlaintextInputShare,
} from './upload.ts';

const suite = suiteWith(AEAD_AES_128_GCM_NODE);

/**
 * Each keypair's private key is imported once, as a key pair: given only the private key, the KEM
 * would re-derive the public key (a scalar multiplication) on every open.
 */
const recipientKeys = new WeakMap<HpkeKeypair, Promise<KeyPair<CryptoKey>>>();

function recipientKeyOf(keypair: HpkeKeypair): Promise<KeyPair<CryptoKey>> {
  let key = recipientKeys.get(keypair);
  if (key === undefined) {
    key = Promise.all([
      suite.DeserializePrivateKey(keypair.privateKey, false),
      suite.DeserializePublicKey(keypair.config.publicKey),
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
    return await suite.Open(recipientKey, ciphertext.enc, ciphertext.payload, { aad, info });
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

/** The collector opens an aggregator's aggregate share: role and AAD bind it to the task and batch. */
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
