/**
 * The member key (DESIGN §7): a secp256k1 key created with ethers, stored in IndexedDB sealed with
 * AES-GCM under a non-extractable WebCrypto key that lives in the same record. Script can use the
 * wrapping key but never read it, so a copy of the database alone (backup tools, a disk image of
 * the profile taken without the browser) does not reveal the member key in the clear.
 *
 * The private key leaves this module only inside a password-encrypted keystore JSON (`backup.ts`).
 * Signing happens here, in the service worker; no message type carries key material.
 */
import {
  SigningKey,
  TypedDataEncoder,
  computeAddress,
  getBytes,
  hexlify,
  randomBytes,
} from 'ethers';

import { CrowdsellError } from '../protocol/errors.ts';
import type { TypedDataTypes, UnionDomain } from '../protocol/eip712.ts';
import type { CrowdsellDb } from '../storage/database.ts';
import type { SealedMemberKey } from '../storage/schema.ts';

export interface VaultDeps {
  db: CrowdsellDb;
  /** WebCrypto (`globalThis.crypto` in the worker and in Node). */
  crypto: Crypto;
  now: () => number;
}

export interface KeyVault {
  /** WebCrypto's SubtleCrypto, for the backup's AES-CTR. */
  readonly subtle: SubtleCrypto;
  /** The member address, creating the key on first use. */
  address(): Promise<string>;
  /** Whether a key exists already (without creating one). */
  hasKey(): Promise<boolean>;
  signTypedData(
    domain: UnionDomain,
    types: TypedDataTypes,
    message: Record<string, unknown>,
  ): Promise<string>;
  /** Replaces the stored key with `privateKey` (import of a backup). Returns the new address. */
  replaceKey(privateKey: string): Promise<string>;
  /** Gives the private key to `use` for one operation (backup export); never cache it. */
  withPrivateKey<T>(use: (privateKey: string, address: string) => Promise<T>): Promise<T>;
  /** Forgets the in-memory key (after the database was deleted). */
  forget(): void;
}

/** The address is authenticated with the ciphertext: a sealed key cannot be moved to another. */
function addressBytes(address: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(address.toLowerCase());
}

async function seal(crypto: Crypto, privateKey: string, address: string, now: number) {
  const wrappingKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new Uint8Array(getBytes(privateKey));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: addressBytes(address) },
    wrappingKey,
    plaintext,
  );
  plaintext.fill(0);
  const record: SealedMemberKey = { address, wrappingKey, iv, ciphertext, createdAt: now };
  return record;
}

/**
 * An unsealed key. ethers' `SigningKey` rather than `Wallet`: the worker needs to sign typed data
 * only, and `Wallet` would bring HD wallets, mnemonic word lists and crowdsale JSON (~17 KB gz).
 */
interface MemberKey {
  signingKey: SigningKey;
  address: string;
}

function memberKey(privateKey: string): MemberKey {
  const signingKey = new SigningKey(privateKey);
  return { signingKey, address: computeAddress(signingKey.publicKey) };
}

/** A fresh secp256k1 key from the platform CSPRNG (ethers' `randomBytes`). */
function createMemberKey(): MemberKey {
  for (;;) {
    try {
      return memberKey(hexlify(randomBytes(32)));
    } catch {
      // Outside [1, n−1] (probability ~2⁻¹²⁸): draw again.
    }
  }
}

async function unseal(crypto: Crypto, record: SealedMemberKey): Promise<MemberKey> {
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: record.iv, additionalData: addressBytes(record.address) },
      record.wrappingKey,
      record.ciphertext,
    );
  } catch (error) {
    throw new CrowdsellError('VAULT_CORRUPT', 'The stored member key cannot be decrypted.', {
      cause: error,
    });
  }
  const bytes = new Uint8Array(plaintext);
  const key = memberKey(hexlify(bytes));
  bytes.fill(0);
  if (key.address !== record.address) {
    throw new CrowdsellError('VAULT_CORRUPT', 'The stored member key does not match its address.');
  }
  return key;
}

export function createKeyVault(deps: VaultDeps): KeyVault {
  // A decrypted key is kept only for the life of this worker instance (memory is wiped on idle).
  let cached: MemberKey | null = null;
  let creating: Promise<MemberKey> | null = null;

  async function load(): Promise<MemberKey> {
    if (cached) return cached;
    creating ??= (async () => {
      const existing = await deps.db.get('vault', 'member');
      if (existing) return unseal(deps.crypto, existing);
      const key = createMemberKey();
      const record = await seal(deps.crypto, key.signingKey.privateKey, key.address, deps.now());
      // `add` fails if another context created a key meanwhile: never overwrite a key silently.
      await deps.db.add('vault', record, 'member');
      return key;
    })();
    try {
      cached = await creating;
      return cached;
    } finally {
      creating = null;
    }
  }

  return {
    subtle: deps.crypto.subtle,
    async address() {
      return (await load()).address;
    },
    async hasKey() {
      return (await deps.db.getKey('vault', 'member')) !== undefined;
    },
    async signTypedData(domain, types, message) {
      const key = await load();
      return key.signingKey.sign(TypedDataEncoder.hash(domain, types, message)).serialized;
    },
    async replaceKey(privateKey) {
      const key = memberKey(privateKey);
      const record = await seal(deps.crypto, key.signingKey.privateKey, key.address, deps.now());
      await deps.db.put('vault', record, 'member');
      cached = key;
      return key.address;
    },
    async withPrivateKey(use) {
      const key = await load();
      return use(key.signingKey.privateKey, key.address);
    },
    forget() {
      cached = null;
    },
  };
}
