/**
 * The DAP leader and helper next to the local union (`npm start`), as child processes of their
 * own (`npm run union -- leader` / `helper`), each with its own PGlite folder under
 * `<data folder>/aggregation/`. The task is generated once there from the live config (random
 * task id, verify key and auth token; a collector HPKE keypair whose private key stays in the
 * union's folder, `collector-key.json`) and reused on restart (a later config change does not
 * change it; `--reset` starts afresh).
 *
 * Both require member signatures: the role files name the local union (`memberSignatures`: its
 * URL, chain id and DataUnion), so a report counts only when signed by a member in the union's
 * membership log. They run from task files, not from the signed config: the local union publishes
 * no aggregation block (its block would have to carry the helper's HPKE config, known only once
 * the helper has run, and every config version change moves the extension's tests).
 *
 * Nothing uses them yet: the extension still sends plain signed reports (issue 21 part 2 wires
 * it). A port in use, or an aggregator that exits during start-up, is a clear error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { encode } from '../../aggregator/dap/codec.ts';
import { generateHpkeKeypair } from '../../aggregator/dap/hpke.ts';
import { hpkeConfigCodec } from '../../aggregator/dap/upload.ts';
import { categoryTask } from '../../aggregator/vdaf/task.ts';
import type { UnionConfig } from '../../extension/protocol/config.ts';

export interface LocalAggregatorOptions {
  /** The local union's data folder; the aggregators live in its `aggregation/` subfolder. */
  readonly dataDir: string;
  /** The repository root (where `node_modules/.bin/tsx` and `union/cli/main.ts` are). */
  readonly root: string;
  readonly config: UnionConfig;
  readonly helperPort: number;
  readonly leaderPort: number;
  /** The local union whose members must sign reports: its URL, chain id and DataUnion address. */
  readonly union: { readonly url: string; readonly chainId: number; readonly dataUnion: string };
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

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * The task (id, keys, token, VDAF, precision) is generated once into `task.json` with the
 * collector key; each start writes the two role files from it with the current ports and union.
 */
async function writeTaskFiles(folder: string, options: LocalAggregatorOptions) {
  const taskFile = path.join(folder, 'task.json');
  const secret = { mode: 0o600 } as const;
  if (!existsSync(taskFile)) {
    mkdirSync(folder, { recursive: true });
    const collector = await generateHpkeKeypair(1);
    const collectorConfig = b64(encode(hpkeConfigCodec, collector.config));
    writeFileSync(
      path.join(folder, 'collector-key.json'),
      JSON.stringify({ config: collectorConfig, privateKey: b64(collector.privateKey) }),
      secret,
    );
    const { config } = options;
    const task = {
      taskId: b64(randomBytes(32)),
      verifyKey: b64(randomBytes(16)),
      vdaf: categoryTask(config).vdaf,
      timePrecisionSeconds: config.epochSeconds,
      tolerableClockSkewSeconds: 60,
      minBatchSize: config.privacy.kThreshold,
      aggregatorAuthToken: b64(randomBytes(32)),
      collectorHpkeConfig: collectorConfig,
    };
    writeFileSync(taskFile, `${JSON.stringify(task, null, 2)}\n`, secret);
  }
  const shared = JSON.parse(readFileSync(taskFile, 'utf8')) as object;
  const leaderFile = path.join(folder, 'leader-task.json');
  const helperFile = path.join(folder, 'helper-task.json');
  const write = (file: string, task: object) =>
    writeFileSync(file, `${JSON.stringify(task, null, 2)}\n`, secret);
  const { union } = options;
  const memberSignatures = {
    unionUrl: union.url,
    chainId: union.chainId,
    dataUnion: union.dataUnion,
  };
  const role = { ...shared, memberSignatures };
  write(helperFile, { ...role, leaderUrl: `http://127.0.0.1:${options.leaderPort}/` });
  write(leaderFile, { ...role, helperUrl: `http://127.0.0.1:${options.helperPort}/` });
  return { leaderFile, helperFile };
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
  const folder = path.join(options.dataDir, 'aggregation');
  const { leaderFile, helperFile } = await writeTaskFiles(folder, options);
  const helper = await startRole(
    'helper',
    {
      HELPER_TASK_FILE: helperFile,
      HELPER_PORT: String(options.helperPort),
      HELPER_DATA_DIR: path.join(folder, 'helper'),
    },
    options,
  );
  let leader: { child: ChildProcess; url: string };
  try {
    leader = await startRole(
      'leader',
      {
        LEADER_TASK_FILE: leaderFile,
        LEADER_PORT: String(options.leaderPort),
        LEADER_DATA_DIR: path.join(folder, 'leader'),
      },
      options,
    );
  } catch (error) {
    await stopChild(helper.child);
    throw error;
  }
  return {
    leaderUrl: leader.url,
    helperUrl: helper.url,
    folder,
    async close() {
      await Promise.all([stopChild(leader.child), stopChild(helper.child)]);
    },
  };
}
