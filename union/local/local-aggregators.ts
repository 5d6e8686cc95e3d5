/**
 * The DAP leader and helper next to the local union (`npm start`), as child processes of their
 * own (`npm run union -- leader` / `helper`), each with its own PGlite folder under
 * `<data folder>/aggregation/`, both **running the task of the union's signed config**: each reads
 * `GET /v1/config` of the local union (`<ROLE>_CONFIG_URL`), verifies it with the dev admin's
 * address and the local chain's DataUnion (its own pins), and takes the secrets the local task
 * generated (`local-aggregation.ts`). A task from the config requires member signatures: members
 * of the local union, from its public membership log.
 *
 * A port in use, or an aggregator that exits during start-up (e.g. a config whose aggregation
 * block publishes other keys), is a clear error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

import type { LocalAggregation } from './local-aggregation.ts';

export interface LocalAggregatorOptions {
  /** The repository root (where `node_modules/.bin/tsx` and `union/cli/main.ts` are). */
  readonly root: string;
  readonly aggregation: LocalAggregation;
  readonly helperPort: number;
  readonly leaderPort: number;
  /** The local union: its URL, and the pins the aggregators check its config against. */
  readonly union: {
    readonly url: string;
    readonly chainId: number;
    readonly dataUnion: string;
    readonly admin: string;
  };
  /** Where the aggregators' log lines go, prefixed with their role. */
  readonly log: (line: string) => void;
}

export interface LocalAggregators {
  readonly leaderUrl: string;
  readonly helperUrl: string;
  readonly folder: string;
  close(): Promise<void>;
}

export class LocalAggregatorError extends Error {}

/** The environment that makes a role take its task from the local union's signed config. */
function fromConfig(role: 'HELPER' | 'LEADER', options: LocalAggregatorOptions, port: number) {
  const { aggregation, union } = options;
  return {
    [`${role}_CONFIG_URL`]: `${union.url}/v1/config`,
    [`${role}_SECRETS_FILE`]:
      role === 'HELPER' ? aggregation.helperSecretsFile : aggregation.leaderSecretsFile,
    [`${role}_UNION_ADMIN`]: union.admin,
    [`${role}_UNION_CHAIN_ID`]: String(union.chainId),
    [`${role}_UNION_CONTRACT`]: union.dataUnion,
    [`${role}_PRIVACY_LIMITS`]: 'development',
    [`${role}_PORT`]: String(port),
    [`${role}_DATA_DIR`]: path.join(aggregation.folder, role.toLowerCase()),
  };
}

/** Starts `npm run union -- <role>`; resolves with its URL once it logs that it listens. */
async function startRole(
  role: 'helper' | 'leader',
  env: Record<string, string>,
  options: LocalAggregatorOptions,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    path.join(options.root, 'node_modules', '.bin', 'tsx'),
    [path.join(options.root, 'union', 'cli', 'main.ts'), role],
    { cwd: options.root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let started = false;
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      if (started) {
        for (const line of text.split('\n').filter(Boolean)) options.log(`[${role}] ${line}`);
        return;
      }
      output += text;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        started = true;
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (started) return;
      const port = env.HELPER_PORT ?? env.LEADER_PORT;
      const inUse = /EADDRINUSE/.test(output)
        ? ` Port ${port} is in use: stop what listens there, or set ${role.toUpperCase()}_PORT.`
        : '';
      reject(
        new LocalAggregatorError(
          `The DAP ${role} did not start (exit code ${code}).${inUse}\n${output.trim()}`,
        ),
      );
    });
  });
  return { child, url };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

export async function startLocalAggregators(
  options: LocalAggregatorOptions,
): Promise<LocalAggregators> {
  const helper = await startRole(
    'helper',
    fromConfig('HELPER', options, options.helperPort),
    options,
  );
  let leader: { child: ChildProcess; url: string };
  try {
    leader = await startRole('leader', fromConfig('LEADER', options, options.leaderPort), options);
  } catch (error) {
    await stopChild(helper.child);
    throw error;
  }
  return {
    leaderUrl: leader.url,
    helperUrl: helper.url,
    folder: options.aggregation.folder,
    async close() {
      await Promise.all([stopChild(leader.child), stopChild(helper.child)]);
    },
  };
}
