/**
 * An aggregator's HPKE keypairs, kept in its own database (table `hpke_keypairs`, created by each
 * role's first migration) rather than a key file: several instances of one role behind a load
 * balancer share one PostgreSQL and must answer with the same keys, and a backup of the database
 * holds the keys that open the reports in it. The first start generates config id 1; rotation
 * (adding a newer config, keeping the older until its reports are aggregated) is a later slice.
 */
import type { Db } from '../../shared-db/db.ts';
import { decode, encode } from '../dap/codec.ts';
import { generateHpkeKeypair, type HpkeKeypair } from '../dap/hpke.ts';
import { hpkeConfigCodec } from '../dap/upload.ts';

const FIRST_CONFIG_ID = 1;

async function stored(db: Db): Promise<HpkeKeypair[]> {
  const { rows } = await db.query<{ config: Uint8Array; private_key: Uint8Array }>(
    'SELECT config, private_key FROM hpke_keypairs ORDER BY created_at DESC, config_id DESC',
  );
  return rows.map((row) => ({
    config: decode(hpkeConfigCodec, new Uint8Array(row.config), 'a stored HPKE config'),
    privateKey: new Uint8Array(row.private_key),
  }));
}

/** The stored keypairs, newest first; generates and stores the first one if there is none. */
export async function loadOrCreateKeypairs(db: Db): Promise<HpkeKeypair[]> {
  const existing = await stored(db);
  if (existing.length > 0) return existing;
  const keypair = await generateHpkeKeypair(FIRST_CONFIG_ID);
  // Two instances starting together: one insert wins, both then read the winner's key.
  await db.query(
    `INSERT INTO hpke_keypairs (config_id, config, private_key) VALUES ($1, $2, $3)
     ON CONFLICT (config_id) DO NOTHING`,
    [keypair.config.id, encode(hpkeConfigCodec, keypair.config), keypair.privateKey],
  );
  return stored(db);
}
