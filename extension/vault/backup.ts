/**
 * Key backup as a standard encrypted Ethereum keystore (Web3 Secret Storage v3, scrypt), readable
 * by any wallet (MetaMask, geth, ethers). The password is the member's; we never store it.
 */
import { CrowdsellError } from '../protocol/errors.ts';
import type { KeyVault } from './key-vault.ts';
import { decryptKeystore, encryptKeystore, isKeystore } from './keystore-v3.ts';

/**
 * scrypt N = 2^17, r = 8, p = 1: the keystore "standard" cost used by ethers and MetaMask; about a
 * second or two in a service worker, and the same work for every password guess of an attacker.
 */
export const BACKUP_SCRYPT = { N: 131_072, r: 8, p: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** One sentence saying what is wrong with a backup password, or null if it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Choose a backup password of at least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `A backup password can have at most ${PASSWORD_MAX_LENGTH} characters.`;
  }
  if (new Set(password).size < 5) {
    return 'Choose a backup password with more different characters.';
  }
  return null;
}

export interface BackupOptions {
  scrypt?: { N: number; r: number; p: number };
  onProgress?: (fraction: number) => void;
}

export async function exportBackup(
  vault: KeyVault,
  password: string,
  options: BackupOptions = {},
): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new CrowdsellError('WEAK_PASSWORD', problem);
  return vault.withPrivateKey((privateKey) =>
    encryptKeystore(vault.subtle, privateKey, password, {
      scrypt: options.scrypt ?? BACKUP_SCRYPT,
      onProgress: options.onProgress,
    }),
  );
}

/** Decrypts a keystore JSON; throws `BACKUP_INVALID` or `BACKUP_WRONG_PASSWORD`. */
export async function readBackup(
  subtle: SubtleCrypto,
  json: string,
  password: string,
  onProgress?: (fraction: number) => void,
): Promise<{ address: string; privateKey: string }> {
  if (!isKeystore(json)) {
    throw new CrowdsellError('BACKUP_INVALID', 'This file is not an encrypted key backup.');
  }
  return decryptKeystore(subtle, json, password, onProgress);
}
