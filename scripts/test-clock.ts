/**
 * Regression guard for tests that read the wall clock where the code under test reads it too
 * (issue 16, item 12): runs the union API suite on PGlite with the process clock faked (Debian's
 * `faketime`) to a few seconds before an hour boundary and before a day boundary, so the run
 * crosses both. Every test must take time from its injected clock; one that does not fails here
 * whatever the hour CI happens to run at.
 */
import { spawnSync } from 'node:child_process';

const SUITE = 'union/test/api.pglite.test.ts';
// Three seconds before the boundary: vitest's start-up takes about that long, so the clock rolls over
// while the tests run.
const INSTANTS = ['2026-12-07 05:59:57', '2026-12-07 23:59:57'];

const probe = spawnSync('faketime', ['--version'], { stdio: 'ignore' });
if (probe.error || probe.status !== 0) {
  console.error(
    'test:clock needs Debian/Ubuntu `faketime` (libfaketime) to run the suite across an hour and a day boundary.\n' +
      'Install it with `sudo apt-get install faketime` (bash .ci/run does this when it runs as root).',
  );
  process.exit(1);
}

for (const instant of INSTANTS) {
  console.log(`test:clock: ${SUITE} starting at ${instant} UTC`);
  const run = spawnSync('faketime', ['-f', `@${instant}`, 'npx', 'vitest', 'run', SUITE], {
    stdio: 'inherit',
    env: { ...process.env, TZ: 'UTC' },
  });
  if (run.status !== 0) {
    console.error(`test:clock: the suite failed when started at ${instant} UTC.`);
    process.exit(run.status ?? 1);
  }
}
