import 'fake-indexeddb/auto';

import { verifyTypedData, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';

import { asTypes, joinRequestTypes } from '../protocol/eip712.ts';
import { openCrowdsellDb } from '../storage/database.ts';
import { testDomain, uniqueDbName } from '../testing/fixtures.ts';
import { exportBackup, passwordProblem, readBackup } from './backup.ts';
import { createKeyVault } from './key-vault.ts';

const fastScrypt = { N: 1024, r: 8, p: 1 };
const password = 'correct horse battery staple';

async function vaultIn(name: string) {
  const db = await openCrowdsellDb(name);
  return { db, vault: createKeyVault({ db, crypto: globalThis.crypto, now: () => 1 }) };
}

describe('key vault', () => {
  it('creates one key on first use and finds the same one after a restart', async () => {
    const name = uniqueDbName();
    const first = await vaultIn(name);
    const address = await first.vault.address();
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    first.db.close();

    const second = await vaultIn(name);
    expect(await second.vault.address()).toBe(address);
    second.db.close();
  });

  it('stores the key sealed under a non-extractable AES-GCM key, never in the clear', async () => {
    const { db, vault } = await vaultIn(uniqueDbName());
    const address = await vault.address();
    const record = await db.get('vault', 'member');
    expect(record?.wrappingKey.extractable).toBe(false);
    expect(record?.wrappingKey.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    await vault.withPrivateKey(async (privateKey) => {
      const stored = new Uint8Array(record!.ciphertext);
      const clear = Buffer.from(privateKey.slice(2), 'hex');
      expect(Buffer.from(stored).includes(clear)).toBe(false);
      expect(new Wallet(privateKey).address).toBe(address);
      return Promise.resolve();
    });
    await expect(globalThis.crypto.subtle.exportKey('raw', record!.wrappingKey)).rejects.toThrow();
    db.close();
  });

  it('signs EIP-712 typed data that verifies to the member address', async () => {
    const { db, vault } = await vaultIn(uniqueDbName());
    const message = { member: await vault.address(), issuedAt: 1_700_000_000 };
    const signature = await vault.signTypedData(testDomain, asTypes(joinRequestTypes), message);
    expect(verifyTypedData(testDomain, asTypes(joinRequestTypes), message, signature)).toBe(
      message.member,
    );
    db.close();
  });

  it('refuses a sealed key moved under another address', async () => {
    const { db, vault } = await vaultIn(uniqueDbName());
    await vault.address();
    const record = (await db.get('vault', 'member'))!;
    await db.put('vault', { ...record, address: Wallet.createRandom().address }, 'member');
    const reopened = createKeyVault({ db, crypto: globalThis.crypto, now: () => 1 });
    await expect(reopened.address()).rejects.toMatchObject({ code: 'VAULT_CORRUPT' });
    db.close();
  });
});

describe('key backup', () => {
  it('round-trips through a standard keystore JSON to the same address', async () => {
    const { db, vault } = await vaultIn(uniqueDbName());
    const address = await vault.address();
    const progress: number[] = [];
    const json = await exportBackup(vault, password, {
      scrypt: fastScrypt,
      onProgress: (f) => progress.push(f),
    });
    expect(JSON.parse(json)).toMatchObject({
      version: 3,
      crypto: { kdf: 'scrypt', kdfparams: { n: 1024 } },
    });
    expect(json).not.toContain((await vault.withPrivateKey((k) => Promise.resolve(k))).slice(2));
    expect(progress.at(-1)).toBe(1);

    // Restoring into a fresh profile gives the same identity; any keystore reader agrees.
    const other = await vaultIn(uniqueDbName());
    const restored = await readBackup(globalThis.crypto.subtle, json, password);
    expect(await other.vault.replaceKey(restored.privateKey)).toBe(address);
    expect(await other.vault.address()).toBe(address);
    expect((await Wallet.fromEncryptedJson(json, password)).address).toBe(address);
    db.close();
    other.db.close();
  });

  it('uses the standard scrypt cost by default', async () => {
    const { BACKUP_SCRYPT } = await import('./backup.ts');
    expect(BACKUP_SCRYPT).toEqual({ N: 131_072, r: 8, p: 1 });
  });

  it('refuses a wrong password and a file that is not a backup with their own codes', async () => {
    const { db, vault } = await vaultIn(uniqueDbName());
    const json = await exportBackup(vault, password, { scrypt: fastScrypt });
    await expect(
      readBackup(globalThis.crypto.subtle, json, 'not the password at all'),
    ).rejects.toMatchObject({
      code: 'BACKUP_WRONG_PASSWORD',
    });
    await expect(
      readBackup(globalThis.crypto.subtle, '{"hello":1}', password),
    ).rejects.toMatchObject({
      code: 'BACKUP_INVALID',
    });
    db.close();
  });

  it.each([
    ['short', 'Choose a backup password of at least 12 characters.'],
    ['aaaaaaaaaaaaaaaa', 'Choose a backup password with more different characters.'],
    ['x'.repeat(1025) + 'abcdef', 'A backup password can have at most 1024 characters.'],
  ])('refuses the weak password %#', async (weak, sentence) => {
    expect(passwordProblem(weak)).toBe(sentence);
    const { db, vault } = await vaultIn(uniqueDbName());
    await expect(exportBackup(vault, weak, { scrypt: fastScrypt })).rejects.toMatchObject({
      code: 'WEAK_PASSWORD',
    });
    db.close();
  });
});
