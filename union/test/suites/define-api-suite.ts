/**
 * The union's HTTP integration suite, defined once and run against each storage driver
 * (api.pglite.test.ts, api.postgres.test.ts): a real server on 127.0.0.1 at a random port.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   Response bodies are loosely typed JSON here on purpose: the assertions (expect) check their shape. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dbFactory, startTestUnion, type Driver } from '../../test-support/test-union.ts';
import { signConfig, testConfig } from '../../test-support/fixtures.ts';
import { adminSuite } from './admin-suite.ts';
import { joinSuite } from './join-suite.ts';
import { publicSuite } from './public-suite.ts';
import { reportsSuite } from './reports-suite.ts';
import type { SuiteEnv } from './suite-env.ts';

export function defineApiSuite(driver: Driver): void {
  describe(`union HTTP API on ${driver}`, () => {
    let env: SuiteEnv | undefined;
    const get = () => {
      if (!env) throw new Error('suite not started');
      return env;
    };

    beforeAll(async () => {
      const factory = await dbFactory(driver);
      const db = await factory.fresh();
      const t = await startTestUnion(db, {}, false);
      env = { t, db, factory };
    }, 120_000);

    afterAll(async () => {
      if (!env) return;
      await env.t.close();
      await env.db.close();
      await env.factory.close();
    });

    describe('before any config is published', () => {
      it('GET /v1/config is 404 NO_CONFIG and reports name an unknown config (422)', async () => {
        const { t } = get();
        const r = await t.call('GET', '/v1/config');
        expect(r.status).toBe(404);
        expect(r.body.error.code).toBe('NO_CONFIG');
        expect((await t.call('GET', '/v1/union')).body.config).toBeNull();
      });

      it('the admin publishes config version 1', async () => {
        const { t } = get();
        const admin = await t.adminClient();
        const r = await admin(
          'PUT',
          '/v1/admin/config',
          await signConfig(t.admin, t.domain, testConfig(1)),
        );
        expect(r.status).toBe(201);
      });
    });

    publicSuite(get);
    joinSuite(get);
    reportsSuite(get);
    adminSuite(get);
  });
}
