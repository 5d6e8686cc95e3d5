/**
 * The simulated members of `bench:scale`: real secp256k1 keys and their addresses, generated once
 * and cached on disk (bench/.cache/, gitignored) as 52-byte records (32-byte key, 20-byte
 * address), so later runs of any size up to the cached count start at once. Generation uses the
 * native secp256k1 prebuild and hash-wasm's keccak (what ingest uses), not ethers (minutes at 1 M).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { createKeccak } from 'hash-wasm';

const RECORD = 52;
const CACHE = path.join(import.meta.dirname, '.cache', 'scale-members.bin');

export interface SimMember {
  key: Uint8Array;
  /** 0x lower-case hex. */
  address: string;
}

interface KeySecp {
  publicKeyCreate(key: Uint8Array, compressed: boolean): Uint8Array;
}

/** `count` members: read from the cache, generating (and appending) whatever it lacks. */
export async function simMembers(count: number, secp: KeySecp): Promise<SimMember[]> {
  let cached: Buffer = existsSync(CACHE) ? readFileSync(CACHE) : Buffer.alloc(0);
  const have = Math.floor(cached.length / RECORD);
  if (have < count) {
    const keccak = await createKeccak(256);
    const fresh = Buffer.alloc((count - have) * RECORD);
    for (let i = 0; i < count - have; i++) {
      const key = randomBytes(32);
      const pub = secp.publicKeyCreate(key, false);
      const hash = keccak.init().update(pub.subarray(1)).digest('binary');
      key.copy(fresh, i * RECORD);
      fresh.set(hash.subarray(12), i * RECORD + 32);
    }
    cached = Buffer.concat([cached.subarray(0, have * RECORD), fresh]);
    mkdirSync(path.dirname(CACHE), { recursive: true });
    writeFileSync(CACHE, cached);
  }
  return Array.from({ length: count }, (_, i) => ({
    key: cached.subarray(i * RECORD, i * RECORD + 32),
    address: `0x${cached.subarray(i * RECORD + 32, (i + 1) * RECORD).toString('hex')}`,
  }));
}
