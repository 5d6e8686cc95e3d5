/**
 * Ethereum keystore v3 ("Web3 Secret Storage") — the standard encrypted key file every wallet
 * reads (MetaMask, geth, ethers). scrypt and keccak come from ethers; AES-128-CTR and PBKDF2 (the
 * other key derivation, met on import) from WebCrypto. Why not ethers' `encryptKeystoreJson`: it
 * brings the aes-js library (~16 KB gz) into the service worker, which has WebCrypto AES-CTR built
 * in; ethers' `pbkdf2` would bring SHA-512 (~2 KB gz) for a derivation WebCrypto also has.
 * Interoperability both ways with ethers' own implementation is tested (keystore-v3.test.ts).
 *
 * Layout: derivedKey = KDF(password NFKC, salt, dkLen 32); ciphertext = AES-128-CTR(key =
 * derivedKey[0..16], counter = iv)(privateKey); mac = keccak256(derivedKey[16..32] ‖ ciphertext).
 */
import {
  computeAddress,
  concat,
  getBytes,
  hexlify,
  keccak256,
  randomBytes,
  scrypt,
  toUtf8Bytes,
  uuidV4,
} from 'ethers';
import { z } from 'zod';

import { CrowdsellError } from '../protocol/errors.ts';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const hex = z
  .string()
  .regex(/^(0x)?([0-9a-fA-F]{2})+$/)
  .transform((s) => getBytes(s.startsWith('0x') ? s : `0x${s}`));

const cryptoSection = z.object({
  cipher: z.literal('aes-128-ctr'),
  cipherparams: z.object({ iv: hex }),
  ciphertext: hex,
  kdf: z.enum(['scrypt', 'pbkdf2']),
  kdfparams: z.object({
    salt: hex,
    dklen: z.literal(32),
    n: z
      .number()
      .int()
      .min(2)
      .max(2 ** 20)
      .optional(),
    r: z.number().int().min(1).max(64).optional(),
    p: z.number().int().min(1).max(16).optional(),
    c: z.number().int().min(1).max(10_000_000).optional(),
    prf: z.literal('hmac-sha256').optional(),
  }),
  mac: hex,
});

const keystoreSchema = z.object({
  version: z.literal(3),
  address: z.string().optional(),
  crypto: cryptoSection.optional(),
  Crypto: cryptoSection.optional(),
});

function bytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data);
}

/** PBKDF2 with HMAC-SHA-256, 32 bytes, as keystore v3's `prf: hmac-sha256` names it. */
async function pbkdf2Sha256(
  subtle: SubtleCrypto,
  secret: Uint8Array,
  salt: Uint8Array,
  iterations: number,
): Promise<Uint8Array> {
  const key = await subtle.importKey('raw', bytes(secret), 'PBKDF2', false, ['deriveBits']);
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt: bytes(salt), iterations };
  return new Uint8Array(await subtle.deriveBits(params, key, 256));
}

async function aesCtr(
  subtle: SubtleCrypto,
  mode: 'encrypt' | 'decrypt',
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Promise<Uint8Array> {
  const cryptoKey = await subtle.importKey('raw', bytes(key), 'AES-CTR', false, [mode]);
  const params = { name: 'AES-CTR', counter: bytes(iv), length: 128 };
  const out = await subtle[mode](params, cryptoKey, bytes(data));
  return new Uint8Array(out);
}

function password(passwordText: string): Uint8Array {
  return toUtf8Bytes(passwordText, 'NFKC');
}

export interface KeystoreOptions {
  scrypt: ScryptParams;
  onProgress?: ((fraction: number) => void) | undefined;
}

export async function encryptKeystore(
  subtle: SubtleCrypto,
  privateKey: string,
  passwordText: string,
  options: KeystoreOptions,
): Promise<string> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const { N, r, p } = options.scrypt;
  const derived = getBytes(
    await scrypt(password(passwordText), salt, N, r, p, 32, options.onProgress),
  );
  const ciphertext = await aesCtr(
    subtle,
    'encrypt',
    derived.slice(0, 16),
    iv,
    getBytes(privateKey),
  );
  const mac = keccak256(concat([derived.slice(16, 32), ciphertext]));
  derived.fill(0);
  return JSON.stringify({
    address: computeAddress(privateKey).slice(2).toLowerCase(),
    id: uuidV4(randomBytes(16)),
    version: 3,
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: hexlify(iv).slice(2) },
      ciphertext: hexlify(ciphertext).slice(2),
      kdf: 'scrypt',
      kdfparams: { salt: hexlify(salt).slice(2), n: N, dklen: 32, p, r },
      mac: mac.slice(2),
    },
  });
}

export function isKeystore(json: string): boolean {
  try {
    const parsed = keystoreSchema.safeParse(JSON.parse(json));
    return parsed.success && (parsed.data.crypto ?? parsed.data.Crypto) !== undefined;
  } catch {
    return false;
  }
}

/** Decrypts a keystore v3; throws `BACKUP_INVALID` or `BACKUP_WRONG_PASSWORD`. */
export async function decryptKeystore(
  subtle: SubtleCrypto,
  json: string,
  passwordText: string,
  onProgress?: (fraction: number) => void,
): Promise<{ address: string; privateKey: string }> {
  const invalid = () => new CrowdsellError('BACKUP_INVALID', 'This key backup cannot be read.');
  let parsed: z.infer<typeof keystoreSchema>;
  try {
    parsed = keystoreSchema.parse(JSON.parse(json));
  } catch {
    throw invalid();
  }
  const section = parsed.crypto ?? parsed.Crypto;
  if (!section) throw invalid();
  const { kdfparams: kp } = section;
  let derived: Uint8Array;
  if (section.kdf === 'scrypt') {
    if (kp.n === undefined || kp.r === undefined || kp.p === undefined) throw invalid();
    if ((kp.n & (kp.n - 1)) !== 0) throw invalid();
    derived = getBytes(
      await scrypt(password(passwordText), kp.salt, kp.n, kp.r, kp.p, 32, onProgress),
    );
  } else {
    if (kp.c === undefined || kp.prf !== 'hmac-sha256') throw invalid();
    derived = await pbkdf2Sha256(subtle, password(passwordText), kp.salt, kp.c);
  }
  const mac = getBytes(keccak256(concat([derived.slice(16, 32), section.ciphertext])));
  if (hexlify(mac) !== hexlify(section.mac)) {
    throw new CrowdsellError('BACKUP_WRONG_PASSWORD', 'The password does not open this backup.');
  }
  const key = await aesCtr(
    subtle,
    'decrypt',
    derived.slice(0, 16),
    section.cipherparams.iv,
    section.ciphertext,
  );
  derived.fill(0);
  if (key.length !== 32) throw invalid();
  const privateKey = hexlify(key);
  const address = computeAddress(privateKey);
  if (
    parsed.address &&
    !address.toLowerCase().endsWith(parsed.address.toLowerCase().replace(/^0x/, ''))
  ) {
    throw invalid();
  }
  return { address, privateKey };
}
