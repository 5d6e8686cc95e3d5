/**
 * `npm start`: the whole local union on embedded defaults — a persistent local chain with the
 * contracts, the union on PGlite in the data folder with a config doing private aggregation, the
 * DAP leader and helper as child processes running that config's task, and the extension built
 * into dist/ for this union. Prints the
 * next steps; Ctrl-C stops everything cleanly.
 *
 *   npm start                 start (or restart with the same data)
 *   npm start -- --reset      delete the data folder first
 *   npm start -- --no-build   do not rebuild the extension
 *   npm start -- --demo       also run simulated members, a purchase and a commit (demo/)
 *   npm start -- --epoch-seconds 60
 *                             one-minute epochs (fresh data folder), to watch the whole loop by hand
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { devAccount } from '../../contracts/chain.ts';
import { epochSecondsSchema, type UnionConfig } from '../../extension/protocol/config.ts';
import { buildExtension } from '../local/extension-build.ts';
import { prepareLocalAggregation } from '../local/local-aggregation.ts';
import { startLocalAggregators, type LocalAggregators } from '../local/local-aggregators.ts';
import {
  DEV_ROLES,
  LOCAL_ACTIVITY_BATCH_SECONDS,
  LocalUnionError,
  startLocalUnion,
} from '../local/local-union.ts';

const root = path.resolve(import.meta.dirname, '../..');

function portFrom(url: string | undefined, fallback: number): number {
  if (!url) return fallback;
  const port = Number(new URL(url).port);
  return Number.isInteger(port) && port > 0 ? port : fallback;
}

/** `--epoch-seconds`: the config's rule (at least a minute, dividing a day), checked up front. */
function parseEpochSeconds(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const parsed = epochSecondsSchema.safeParse(Number(raw));
  if (!parsed.success) {
    throw new Error(
      `--epoch-seconds ${raw}: ${parsed.error.issues.map((i) => i.message).join('; ')}.`,
    );
  }
  return parsed.data;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reset: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
      'epoch-seconds': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: npm start [-- --reset] [-- --no-build] [-- --demo] [-- --epoch-seconds <n>]',
    );
    return;
  }
  const epochSeconds = parseEpochSeconds(values['epoch-seconds']);
  // Short epochs: accept an epoch's reports for three epochs (at least 2 min: the extension
  // sends each report within one epoch of its end) and publish it 10 s later, instead of a week
  // and 5 minutes.
  const shortWindow = epochSeconds === undefined ? undefined : Math.max(120, 3 * epochSeconds);
  const shortGrace = 10;
  const dataDir = process.env.CROWDSELL_DATA_DIR ?? path.join(root, '.crowdsell');
  const unionPort = Number(process.env.PORT ?? 8787);
  const chainPort = portFrom(process.env.RPC_URL, 8545);

  if (!values['no-build']) {
    console.log('Building the console into dist-console/ …');
    const consoleBuild = spawnSync(
      'npx',
      ['vite', 'build', '--config', 'vite.console.config.ts', '--logLevel', 'warn'],
      { cwd: root, stdio: 'inherit' },
    );
    if (consoleBuild.status !== 0) throw new Error('The console build failed (see above).');
  }
  const helperPort = Number(process.env.HELPER_PORT ?? 8788);
  const leaderPort = Number(process.env.LEADER_PORT ?? 8789);
  // The DAP task is prepared before the union starts, so a fresh union's first config carries
  // its aggregation block (the helper's and the leader's keys are created in their folders).
  if (values.reset) rmSync(dataDir, { recursive: true, force: true });
  const aggregation = await prepareLocalAggregation({ dataDir, helperPort, leaderPort });
  console.log(`Starting the local union (data folder ${dataDir}) …`);
  const local = await startLocalUnion({
    dataDir,
    chainPort,
    unionPort,
    aggregation,
    ...(epochSeconds === undefined || shortWindow === undefined
      ? {}
      : {
          epochSeconds,
          acceptanceWindowSeconds: shortWindow,
          productGraceSeconds: shortGrace,
          productIntervalMs: 10_000,
        }),
  });

  if (!values['no-build']) {
    console.log('Building the extension for this union into dist/ …');
    try {
      // A development build: it accepts the local union's one-minute epochs (--epoch-seconds)
      // and small k, and its popup says so. `npm run package` makes the store build.
      buildExtension(
        { ...local, leaderUrl: `http://127.0.0.1:${leaderPort}` },
        { mode: 'development' },
      );
    } catch (error) {
      await local.close();
      throw error;
    }
  }

  const live = (await (await fetch(`${local.unionUrl}/v1/config`)).json()) as {
    config?: UnionConfig;
  };
  // The aggregators run the task of the union's config: only a config with this folder's block
  // (a data folder from before private aggregation keeps its plain config).
  const block = live.config?.aggregation;
  let aggregators: LocalAggregators | null = null;
  if (block?.taskId === aggregation.taskId) {
    try {
      aggregators = await startLocalAggregators({
        root,
        aggregation,
        helperPort: portFrom(block.helperUrl, helperPort),
        leaderPort: portFrom(block.leaderUrl, leaderPort),
        union: {
          url: local.unionUrl,
          chainId: Number(local.deployment.chainId),
          dataUnion: local.deployment.dataUnion,
          admin: local.deployment.admin,
        },
        log: (line) => console.log(line),
      });
    } catch (error) {
      await local.close();
      throw error;
    }
  }
  const aggregatorLines = aggregators
    ? `  DAP leader       ${aggregators.leaderUrl}   members' reports arrive here as encrypted shares
  DAP helper       ${aggregators.helperUrl}   (config v${live.config?.version}: private aggregation, central ε ${block?.centralEpsilon});
                   the union collects each epoch's noisy sums; task and keys in ${aggregators.folder}`
    : `  DAP aggregators  not started: this data folder's config has no aggregation block (it
                   predates private aggregation; \`npm start -- --reset\` starts afresh with one)`;
  const epochLine = live.config
    ? `config v${live.config.version}: ${live.config.epochSeconds}-second epochs${
        epochSeconds !== undefined && epochSeconds !== live.config.epochSeconds
          ? ` (this data folder already had a config: --epoch-seconds applies with --reset)`
          : ''
      }`
    : 'no config published';
  const publicationLine =
    shortWindow === undefined
      ? 'each epoch published once, 7 days and 5 minutes after it ends (as in production)'
      : `each epoch published once, ${shortWindow + shortGrace} s after it ends`;
  const admin = devAccount(DEV_ROLES.admin);
  const researcher = devAccount(DEV_ROLES.researcher);
  console.log(`
Crowdsell is running.

  Console          ${local.unionUrl}/   (admin: connect a wallet holding the admin key)
  Union API        ${local.unionUrl}/v1/union
  Local chain      ${local.chainUrl}  (chain id ${local.deployment.chainId})
  DataUnion        ${local.deployment.dataUnion}
  Marketplace      ${local.deployment.marketplace}
  Token            ${local.deployment.token}
  Data folder      ${local.dataDir}${local.freshDeploy ? '  (fresh deploy)' : '  (reused)'}
${aggregatorLines}
  Demo speed       revenue watched every 2 s, a root committed each minute when earnings
                   changed, usable after a 2-minute freeze; a report makes its member
                   active at the end of its minute (a UTC day in production); ${epochLine};
                   ${publicationLine}

  DEV-ONLY keys (public Hardhat test keys — never use them on a real chain):
    admin       ${admin.address}  ${admin.privateKey}
    researcher  ${researcher.address}  ${researcher.privateKey}  (holds 1,000 test tokens)

  Load the extension: Chrome → chrome://extensions → Developer mode → Load unpacked →
    ${path.join(root, 'dist')}
  It joins this union with the dev app secret in ${path.join(local.dataDir, 'dev-app-secret.txt')}.

  Stop with Ctrl-C. Restart with \`npm start\` (same data), or \`npm start -- --reset\` to start afresh.
`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the union, the chain and the DAP aggregators …`);
    Promise.all([local.close(), aggregators?.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  if (values.demo) {
    const { ensureDemoUnion } = await import('../local/demo-union.ts');
    const { runDemo } = await import('../../demo/run-demo.ts');
    try {
      // Its URL answers nothing: the marketplace lists this union as unreachable.
      const second = await ensureDemoUnion({
        chainUrl: local.chainUrl,
        deployment: local.deployment,
      });
      console.log(
        `Demo: a second union ${second.union} (product ${second.productId}) is listed on the marketplace through the same factory; it runs no server, so the marketplace shows it unreachable.`,
      );
      console.log('Demo: simulated members (the extension core in Node) join and report …');
      await runDemo({
        unionUrl: local.unionUrl,
        chainUrl: local.chainUrl,
        deployment: local.deployment,
        appSecret: local.appSecret,
        activityBatchSeconds: LOCAL_ACTIVITY_BATCH_SECONDS,
        // Under private aggregation a report counts once the leader aggregated it (a pass every
        // 10 s) and the union's product job read it (every productIntervalMs).
        contributionDelaySeconds: 10 + (epochSeconds === undefined ? 60 : 10),
      });
    } catch (error: unknown) {
      console.error(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof LocalUnionError || error instanceof Error ? error.message : error);
  process.exit(1);
});
