/**
 * A union on 127.0.0.1 (random port) for integration tests, on a fresh PGlite or PostgreSQL
 * database, with an admin wallet, a published config (version 1) and helpers to sign in, join and
 * report. The same harness serves both drivers so one suite runs on each. The union runs on a test
 * clock (`t.clock`, fixed start) that the tests read too, so nothing depends on the wall clock.
 */
import type { Wallet } from 'ethers';

import { startUnion, type UnionOptions, type UnionServer } from '../app.ts';
import type { Db } from '../db/db.ts';
import { openPostgres } from '../db/postgres-driver.ts';
import {
  randomWallet,
  signConfig,
  signJoin,
  siweMessageFor,
  TEST_CHAIN_ID,
  TEST_DATA_UNION,
  testConfig,
} from './fixtures.ts';
import { client, type Call } from './http-client.ts';
import { freshPglite } from './pglite-template.ts';
import { startPostgres, type PostgresCluster } from './postgres-cluster.ts';
import { testClock, type TestClock } from './test-clock.ts';

export type Driver = 'pglite' | 'postgres';

/** Opens fresh databases of one driver; `close()` releases the cluster (if any). */
export interface DbFactory {
  driver: Driver;
  fresh(): Promise<Db>;
  close(): Promise<void>;
}

export async function dbFactory(driver: Driver): Promise<DbFactory> {
  if (driver === 'pglite') {
    return { driver, fresh: freshPglite, close: () => Promise.resolve() };
  }
  const cluster: PostgresCluster = await startPostgres();
  return {
    driver,
    fresh: async () => openPostgres({ url: await cluster.createDatabase(), poolSize: 8 }),
    close: () => cluster.stop(),
  };
}

export interface TestUnion {
  server: UnionServer;
  url: string;
  admin: Wallet;
  domain: UnionServer['domain'];
  /** The union's clock: sign `issuedAt`, compute epochs and expiries from it, move it to pass time. */
  clock: TestClock;
  call: Call;
  /** A SIWE sign-in message for this union, issued at its clock's now. */
  siweMessage(
    signer: Wallet,
    nonce: string,
    overrides?: Parameters<typeof siweMessageFor>[3],
  ): string;
  /** Signs in as the admin with SIWE and returns the session token. */
  adminToken(): Promise<string>;
  /** Signs in with SIWE and returns a client sending `Authorization: Bearer …`. */
  adminClient(): Promise<Call>;
  /** Another union server on the same database and keys, with other options (limits, db wrappers). */
  sibling(
    options: Partial<UnionOptions>,
  ): Promise<{ url: string; call: Call; close(): Promise<void> }>;
  /** Joins a new random member with an app secret (active at once). */
  activeMember(): Promise<Wallet>;
  close(): Promise<void>;
}

export type TestUnionOptions = Partial<UnionOptions> & {
  /** The clock the union runs on (default: a new test clock); siblings share it. */
  clock?: TestClock;
};

export async function startTestUnion(
  db: Db,
  { clock = testClock(), ...options }: TestUnionOptions = {},
  withConfig = true,
): Promise<TestUnion> {
  const admin = randomWallet();
  // A caller's own `now` wins (the union and activeMember then both read it).
  const now = options.now ?? clock.now;
  const domainForSigning = {
    name: 'Crowdsell',
    version: '1',
    chainId: TEST_CHAIN_ID,
    verifyingContract: TEST_DATA_UNION,
  } as const;
  const base = {
    chainId: TEST_CHAIN_ID,
    dataUnion: TEST_DATA_UNION,
    admin: admin.address,
    operator: randomWallet().address,
    port: 0,
    logLevel: 'silent',
    recoverThreads: 1,
    // testConfig's hourly epochs at ε 2 (48 a day) and small k values are over the store limits;
    // union/test/config-limits.test.ts runs with the store limits.
    developmentPrivacyLimits: true,
    now,
    rateLimits: {
      joinsPerIp: 100_000,
      reportRequestsPerIp: 100_000,
      reportsPerMember: 100_000,
      adminPerIp: 100_000,
      recoveriesPerIpPerSecond: 100_000,
      publicReadsPerIp: 100_000,
    },
  } as const;
  const server = await startUnion({
    ...base,
    ...(withConfig
      ? { initialConfig: await signConfig(admin, domainForSigning, testConfig(1)) }
      : {}),
    ...options,
    db,
  });
  const call = client(server.url);
  let secret: string | null = null;
  const siweMessage: TestUnion['siweMessage'] = (signer, nonce, overrides = {}) =>
    siweMessageFor(signer, server.url, nonce, overrides, now());

  const adminToken = async () => {
    const nonce = await call<{ nonce: string }>('GET', '/v1/admin/nonce');
    const message = siweMessage(admin, nonce.body.nonce);
    const signature = await admin.signMessage(message);
    const session = await call<{ token: string }>('POST', '/v1/admin/session', {
      message,
      signature,
    });
    if (session.status !== 201) throw new Error(`sign-in failed: ${session.text}`);
    return session.body.token;
  };
  const adminClient = async () =>
    client(server.url, { authorization: `Bearer ${await adminToken()}` });

  return {
    server,
    url: server.url,
    admin,
    domain: server.domain,
    clock,
    call,
    siweMessage,
    adminToken,
    adminClient,
    async sibling(overrides) {
      const other = await startUnion({ ...base, db, ...overrides });
      return { url: other.url, call: client(other.url), close: () => other.close() };
    },
    async activeMember() {
      if (!secret) {
        const adminCall = await adminClient();
        secret = (await adminCall<{ secret: string }>('POST', '/v1/admin/secrets', {})).body.secret;
      }
      const member = randomWallet();
      const body = await signJoin(member, server.domain, Math.floor(now() / 1000), secret);
      const joined = await call<{ member: { status: string } }>('POST', '/v1/join', body);
      if (joined.body.member.status !== 'active') throw new Error(`join failed: ${joined.text}`);
      return member;
    },
    close: () => server.close(),
  };
}
