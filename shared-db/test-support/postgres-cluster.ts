/**
 * PostgreSQL for tests and benchmarks. With `TEST_DATABASE_URL` set, that server is used and each
 * caller gets a fresh database on it. Otherwise a throwaway cluster is made from the installed
 * server binaries: `initdb` in a temporary folder, `postgres` on 127.0.0.1 at a free port (fsync
 * on, like production), removed again by `stop()`. PostgreSQL refuses to run as root, so as root
 * the binaries run as the `postgres` OS user (spawned with its uid/gid), owning the folder.
 *
 *   const cluster = await startPostgres();
 *   const url = await cluster.createDatabase();   // postgres://…/crowdsell_test_…
 *   …
 *   await cluster.stop();                          // drops the databases or the whole cluster
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';
import { freePort } from './free-port.ts';

export const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, postgres) were not found: install them with ' +
  '`apt-get install -y postgresql` (Debian/Ubuntu), or set TEST_DATABASE_URL to a server where ' +
  'the tests may create databases.';

export interface PostgresCluster {
  /** Admin connection URL (database `postgres`). */
  readonly url: string;
  /** 'throwaway' (made here) or 'external' (TEST_DATABASE_URL). */
  readonly kind: 'throwaway' | 'external';
  /** Creates an empty database and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Drops created databases (external) or stops and deletes the cluster (throwaway). */
  stop(): Promise<void>;
}

/** Whether tests can have a PostgreSQL; if not, warns that `suite` is skipped and how to fix it. */
export function postgresAvailable(suite: string): boolean {
  const available = Boolean(process.env.TEST_DATABASE_URL) || findPostgresBin() !== null;
  if (!available) console.warn(`${suite} skipped: ${INSTALL_HINT}`);
  return available;
}

export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin');
  }
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    return initdb ? path.dirname(initdb) : null;
  } catch {
    return null;
  }
}

const isRoot = () => process.getuid?.() === 0;

/** spawn options that run a binary as the postgres OS user when we are root. */
function postgresUser(): { uid?: number; gid?: number } {
  if (!isRoot()) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'Running as root, but there is no `postgres` OS user to run PostgreSQL as. ' + INSTALL_HINT,
    );
  }
}

async function waitForServer(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`postgres did not accept connections in time: ${String(lastError)}`);
}

function databaseCreator(adminUrl: string) {
  const created: string[] = [];
  return {
    created,
    create: async (prefix = 'crowdsell_test'): Promise<string> => {
      const name = `${prefix}_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}

async function startThrowaway(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(INSTALL_HINT);
  const dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-pg-'));
  const data = path.join(dir, 'data');
  const user = postgresUser();
  if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid);
  const initArgs = [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-instructions',
  ];
  try {
    execFileSync(path.join(bin, 'initdb'), initArgs, { stdio: 'pipe', cwd: dir, ...user });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`initdb failed: ${stderr.trim()}\n${INSTALL_HINT}`, { cause: error });
  }
  const port = await freePort();
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'fsync=on',
    '-c',
    'shared_buffers=32MB',
    '-c',
    'max_connections=60',
  ];
  const child = spawn(path.join(bin, 'postgres'), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    cwd: dir,
    ...user,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitForServer(url, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${String(error)}\n${stderr}`, { cause: error });
  }
  const creator = databaseCreator(url);
  return {
    url,
    kind: 'throwaway',
    createDatabase: creator.create,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT'); // fast shutdown
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function useExternal(adminUrl: string): PostgresCluster {
  const creator = databaseCreator(adminUrl);
  return {
    url: adminUrl,
    kind: 'external',
    createDatabase: creator.create,
    async stop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        for (const name of creator.created) {
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }
      } finally {
        await client.end();
      }
    },
  };
}

/** TEST_DATABASE_URL if set, else a throwaway cluster; throws INSTALL_HINT if neither works. */
export function startPostgres(env: NodeJS.ProcessEnv = process.env): Promise<PostgresCluster> {
  const external = env.TEST_DATABASE_URL;
  return external ? Promise.resolve(useExternal(external)) : startThrowaway();
}
