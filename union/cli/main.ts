/**
 * `npm run union -- <command>` — the union operator's command line.
 *
 *   serve                                   run the union (configuration from the environment)
 *   migrate                                 bring the database schema up to date and exit
 *   admin approve|reject|remove <address>   change a member's status (logged like the API does)
 *   secret create [--uses N] [--expires ISO] [--label TEXT]   print a new app secret (shown once)
 *   secret list | secret revoke <id>
 *   helper                                  run the DAP helper (preview; aggregator/helper/run-helper.ts)
 *   leader                                  run the DAP leader (preview; aggregator/leader/run-leader.ts)
 *
 * The admin and secret commands work on the database directly (DATABASE_URL, or the PGlite
 * folder CROWDSELL_DATA_DIR — stop a PGlite-backed server first: one process per folder).
 */
import { parseArgs } from 'node:util';

import { runHelperCommand } from '../../aggregator/helper/run-helper.ts';
import { runLeaderCommand } from '../../aggregator/leader/run-leader.ts';
import { startUnion } from '../app.ts';
import { validate } from '../chain/validator.ts';
import { databaseFromEnv, optionsFromEnv } from '../config/env.ts';
import type { Db } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/open-db.ts';
import { openPglite } from '../db/pglite-driver.ts';
import { openPostgres } from '../db/postgres-driver.ts';
import { generateAppSecret } from '../domain/app-secret.ts';
import { newSecretBody, secretView } from '../http/routes/admin-routes.ts';
import { memberView } from '../http/routes/member-routes.ts';
import { secretsRepo } from '../repo/secrets-repo.ts';
import { MembershipService } from '../services/membership-service.ts';
import { ProductService } from '../services/product-service.ts';
import { encodeRows, isExportFormat, productTable } from '../product/index.ts';
import { DEFAULT_ACCEPTANCE_WINDOW_SECONDS } from '../../extension/protocol/report-rules.ts';
import { addressSchema } from '../../extension/protocol/wire.ts';

const USAGE = `Usage: npm run union -- <command>
  serve                                   run the union (env: CHAIN_ID, DATA_UNION_ADDRESS, ADMIN_ADDRESS, OPERATOR_ADDRESS, PORT, HOST, DATABASE_URL | CROWDSELL_DATA_DIR …)
  migrate                                 apply pending database migrations
  admin approve|reject|remove <address>   change a member's status
  secret create [--uses N] [--expires ISO] [--label TEXT]
  secret list
  secret revoke <id>
  product export [--from ISO|SECONDS] [--to ISO|SECONDS] [--format csv|ndjson|parquet] > file
  helper                                  run the DAP helper, preview (env: HELPER_TASK_FILE, HELPER_PORT, HELPER_DATA_DIR | HELPER_DATABASE_URL)
  leader                                  run the DAP leader, preview (env: LEADER_TASK_FILE, LEADER_PORT, LEADER_DATA_DIR | LEADER_DATABASE_URL, LEADER_AGGREGATION_INTERVAL_SECONDS …)
  validate --rpc URL --union 0xDATAUNION [--state-url URL] [--from-block N] [--replay] [--watch]`;

class UsageError extends Error {}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(databaseFromEnv());
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

async function serve(): Promise<void> {
  const union = await startUnion(optionsFromEnv());
  console.log(
    `Crowdsell union listening on ${union.url} (database: ${union.db.driver}, signature recovery: ${union.recovery.kind} × ${union.recovery.threads || 'main thread'})`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing …`);
    union.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function runMigrate(): Promise<void> {
  const options = databaseFromEnv();
  const db = options.driver === 'pglite' ? await openPglite(options) : await openPostgres(options);
  try {
    const result = await migrate(db);
    const names = result.applied.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}`);
    console.log(names.length > 0 ? `Applied: ${names.join(', ')}` : 'Nothing to apply.');
    console.log(`Schema version ${result.version} (${options.driver}).`);
  } finally {
    await db.close();
  }
}

async function admin(args: string[]): Promise<void> {
  const [action, address] = args;
  if ((action !== 'approve' && action !== 'reject' && action !== 'remove') || !address) {
    throw new UsageError('admin needs approve|reject|remove and an address');
  }
  if (!addressSchema.safeParse(address).success)
    throw new UsageError(`“${address}” is not an address`);
  await withDb(async (db) =>
    print(memberView(await new MembershipService(db, Date.now).act(address, action))),
  );
}

async function secret(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: { uses: { type: 'string' }, expires: { type: 'string' }, label: { type: 'string' } },
    });
    const parsed = newSecretBody.safeParse({
      ...(values.label !== undefined ? { label: values.label } : {}),
      ...(values.uses !== undefined ? { maxUses: Number(values.uses) } : {}),
      ...(values.expires !== undefined ? { expiresAt: values.expires } : {}),
    });
    if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'invalid options');
    const fresh = generateAppSecret();
    await withDb(async (db) => {
      const row = await secretsRepo.insert(db, {
        id: fresh.id,
        hash: fresh.hash,
        label: parsed.data.label,
        maxUses: parsed.data.maxUses,
        expiresAt: parsed.data.expiresAt ? new Date(parsed.data.expiresAt) : null,
      });
      print({ ...secretView(row), secret: fresh.secret });
      console.error('The secret is shown only now; only its hash is stored.');
    });
    return;
  }
  if (sub === 'list')
    return withDb(async (db) => print((await secretsRepo.list(db)).map(secretView)));
  if (sub === 'revoke' && rest[0]) {
    const id = rest[0];
    return withDb(async (db) => {
      const row = await secretsRepo.revoke(db, id, new Date());
      if (!row) throw new UsageError(`no app secret ${id}`);
      print(secretView(row));
    });
  }
  throw new UsageError('secret needs create, list or revoke <id>');
}

/** `product export`: the published aggregates (each epoch once) to stdout, streamed. */
async function product(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'export') throw new UsageError('product needs export');
  const { values } = parseArgs({
    args: rest,
    options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' } },
  });
  const format = values.format ?? 'csv';
  if (!isExportFormat(format)) throw new UsageError('--format must be csv, ndjson or parquet');
  const seconds = (value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const s = /^\d+$/.test(value) ? Number(value) : Date.parse(value) / 1000;
    if (!Number.isFinite(s)) throw new UsageError(`“${value}” is not a date or Unix seconds`);
    return Math.floor(s);
  };
  const from = seconds(values.from, 0);
  const to = seconds(values.to, Number.MAX_SAFE_INTEGER);
  await withDb(async (db) => {
    // Only reads what is published: the window and grace matter to the job, which is not run.
    const service = new ProductService(db, {
      acceptanceWindowSeconds: DEFAULT_ACCEPTANCE_WINDOW_SECONDS,
      graceSeconds: 0,
      intervalMs: 0,
      now: Date.now,
    });
    for await (const chunk of encodeRows(format, service.rows({ from, to }), productTable)) {
      if (!process.stdout.write(chunk)) {
        await new Promise((resolve) => process.stdout.once('drain', resolve));
      }
    }
  });
}

/**
 * `validate`: recompute every committed root from public data (`--replay`: also replay the
 * accounting event log); exit 1 on the first mismatch.
 */
async function runValidate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      rpc: { type: 'string' },
      union: { type: 'string' },
      'state-url': { type: 'string' },
      'from-block': { type: 'string' },
      replay: { type: 'boolean' },
      watch: { type: 'boolean' },
    },
  });
  if (!values.rpc || !values.union || !addressSchema.safeParse(values.union).success) {
    throw new UsageError('validate needs --rpc URL and --union 0xDATAUNION');
  }
  const options = {
    rpcUrl: values.rpc,
    dataUnion: values.union,
    ...(values['state-url'] ? { stateUrl: values['state-url'] } : {}),
    ...(values['from-block'] ? { fromBlock: Number(values['from-block']) } : {}),
    replay: values.replay === true,
  };
  for (;;) {
    const report = await validate(options);
    if (!report.ok) {
      console.error(`MISMATCH: ${report.problem ?? 'unknown'}`);
      console.error(
        'The admin should revoke(blockNumber) on the DataUnion before the freeze ends.',
      );
      process.exit(1);
    }
    console.log(
      `OK: ${report.checked.length} root(s) match (${report.checked.join(', ') || 'none'}).`,
    );
    if (values.watch !== true) return;
    await new Promise((resolve) => setTimeout(resolve, 30_000));
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate':
      return runMigrate();
    case 'admin':
      return admin(rest);
    case 'secret':
      return secret(rest);
    case 'product':
      return product(rest);
    case 'validate':
      return runValidate(rest);
    case 'helper':
      return runHelperCommand(process.env);
    case 'leader':
      return runLeaderCommand(process.env);
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`unknown command “${command}”`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
