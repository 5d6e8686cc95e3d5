import { decryptKeystoreJson, encryptKeystoreJson, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';

import { decryptKeystore, encryptKeystore, isKeystore } from './keystore-v3.ts';

const subtle = globalThis.crypto.subtle;
const scrypt = { N: 1024, r: 8, p: 1 };
const password = 'crème brûlée passphrase';

describe('keystore v3', () => {
  it('writes keystores that ethers (and so any wallet) opens to the same key', async () => {
    const wallet = Wallet.createRandom();
    const json = await encryptKeystore(subtle, wallet.privateKey, password, { scrypt });
    const account = await decryptKeystoreJson(json, password);
    expect(account.privateKey).toBe(wallet.privateKey);
    expect(account.address).toBe(wallet.address);
  });

  it('reads keystores written by ethers, with scrypt or pbkdf2', async () => {
    const wallet = Wallet.createRandom();
    const json = await encryptKeystoreJson(
      { address: wallet.address, privateKey: wallet.privateKey },
      password,
      { scrypt },
    );
    expect(isKeystore(json)).toBe(true);
    expect(await decryptKeystore(subtle, json, password)).toEqual({
      address: wallet.address,
      privateKey: wallet.privateKey,
    });
    // A pbkdf2 keystore (the other kdf of the standard), built by re-deriving with ethers.
    const { pbkdf2, keccak256, concat, getBytes, hexlify, randomBytes, toUtf8Bytes } =
      await import('ethers');
    const salt = randomBytes(32);
    const iv = randomBytes(16);
    const derived = new Uint8Array(
      getBytes(pbkdf2(toUtf8Bytes(password, 'NFKC'), salt, 1000, 32, 'sha256')),
    );
    const key = await subtle.importKey('raw', derived.slice(0, 16), 'AES-CTR', false, ['encrypt']);
    const ciphertext = new Uint8Array(
      await subtle.encrypt(
        { name: 'AES-CTR', counter: new Uint8Array(iv), length: 128 },
        key,
        new Uint8Array(getBytes(wallet.privateKey)),
      ),
    );
    const pbkdf2Json = JSON.stringify({
      version: 3,
      crypto: {
        cipher: 'aes-128-ctr',
        cipherparams: { iv: hexlify(iv).slice(2) },
        ciphertext: hexlify(ciphertext).slice(2),
        kdf: 'pbkdf2',
        kdfparams: { c: 1000, dklen: 32, prf: 'hmac-sha256', salt: hexlify(salt).slice(2) },
        mac: keccak256(concat([derived.slice(16, 32), ciphertext])).slice(2),
      },
    });
    expect((await decryptKeystoreJson(pbkdf2Json, password)).privateKey).toBe(wallet.privateKey);
    expect((await decryptKeystore(subtle, pbkdf2Json, password)).privateKey).toBe(
      wallet.privateKey,
    );
  });

  it('reports progress and ends at 1', async () => {
    const progress: number[] = [];
    await encryptKeystore(subtle, Wallet.createRandom().privateKey, password, {
      scrypt,
      onProgress: (f) => progress.push(f),
    });
    expect(progress.at(-1)).toBe(1);
  });

  it('refuses a wrong password, a tampered file and a file that is not a keystore', async () => {
    const json = await encryptKeystore(subtle, Wallet.createRandom().privateKey, password, {
      scrypt,
    });
    await expect(decryptKeystore(subtle, json, 'wrong password!!')).rejects.toMatchObject({
      code: 'BACKUP_WRONG_PASSWORD',
    });
    const tampered = JSON.parse(json) as { crypto: { ciphertext: string } };
    tampered.crypto.ciphertext = `00${tampered.crypto.ciphertext.slice(2)}`;
    await expect(decryptKeystore(subtle, JSON.stringify(tampered), password)).rejects.toMatchObject(
      { code: 'BACKUP_WRONG_PASSWORD' },
    );
    await expect(decryptKeystore(subtle, '{"version":3}', password)).rejects.toMatchObject({
      code: 'BACKUP_INVALID',
    });
    expect(isKeystore('not json')).toBe(false);
  });
});
