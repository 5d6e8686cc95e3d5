/**
 * Test support: the extension core against a fake union on 127.0.0.1, with a controllable clock,
 * a recording scheduler and its own fake IndexedDB database (one per harness).
 */
import { createCrowdsell, type Crowdsell } from '../app/crowdsell.ts';
import type { AppDeps } from '../app/app-deps.ts';
import { startFakeUnion, type FakeUnion } from './fake-union.ts';
import { clock, makeConfig, signConfig, testDeps, testSettings, type Clock } from './fixtures.ts';

export interface AppHarness {
  union: FakeUnion;
  time: Clock;
  deps: ReturnType<typeof testDeps>;
  app: Crowdsell;
  /** Another app instance on the same database: the worker restarted. */
  restart(): Crowdsell;
  close(): Promise<void>;
}

/** A union serving the default signed config, and an app whose clock starts at `startMs`. */
export async function startAppHarness(
  startMs: number,
  overrides: Partial<AppDeps> = {},
): Promise<AppHarness> {
  const union = await startFakeUnion();
  union.config = await signConfig(makeConfig());
  const time = clock(startMs);
  const deps = testDeps({
    settings: { ...testSettings, unionUrl: union.url },
    now: time.now,
    fetch,
    ...overrides,
  });
  const app = createCrowdsell(deps);
  const apps = [app];
  return {
    union,
    time,
    deps,
    app,
    restart() {
      const app = createCrowdsell(deps);
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps) (await app.ready()).db.close();
      await union.close();
    },
  };
}
