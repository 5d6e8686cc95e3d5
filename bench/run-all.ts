/**
 * `npm run bench`: runs every `bench:*` script in package.json one after another (benchmarks on a
 * 2-core machine must not compete), takes the JSON object each prints as its last line, and prints
 * one JSON object `{ "<name>": { ...figures } }` as the last line. A failing benchmark is reported
 * as `{ "error": "..." }` and makes the exit code non-zero, after the others have run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const only = process.argv.slice(2);
const names = Object.keys(pkg.scripts)
  .filter((name) => name.startsWith('bench:'))
  .map((name) => name.slice('bench:'.length))
  .filter((name) => only.length === 0 || only.includes(name));

const results: Record<string, unknown> = {};
let failed = false;
for (const name of names) {
  console.error(`\n▶ bench:${name}`);
  const run = spawnSync('npm', ['run', '--silent', `bench:${name}`], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const lastLine = run.stdout.trim().split('\n').at(-1) ?? '';
  process.stderr.write(run.stdout);
  try {
    if (run.status !== 0) throw new Error(`exited with ${run.status ?? run.signal}`);
    results[name] = JSON.parse(lastLine) as unknown;
  } catch (error) {
    failed = true;
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
}
console.log(JSON.stringify(results));
process.exitCode = failed ? 1 : 0;
