/**
 * The stage most `dist-e2e/` specs share: a fake union on the build's union port serving a signed
 * v1 config (`makeConfig()`), and the local test pages, both fresh for every test; plus the count
 * of visits the open tallies hold for a category.
 */
import type { Page } from '@playwright/test';

import { startFakeUnion, type FakeUnion } from '../../../extension/testing/fake-union.ts';
import { makeConfig, signConfig } from '../../../extension/testing/fixtures.ts';
import { E2E_UNION_PORT, hook, startPageServer, type PageServer } from '../extension-helpers.ts';
import { test } from '../fixtures.ts';

export interface FakeUnionStage {
  readonly union: FakeUnion;
  readonly pages: PageServer;
}

/** Registers the per-test start and stop; read `stage.union` / `stage.pages` inside a test. */
export function useFakeUnionStage(): FakeUnionStage {
  let union: FakeUnion | null = null;
  let pages: PageServer | null = null;
  test.beforeEach(async () => {
    union = await startFakeUnion(E2E_UNION_PORT);
    union.config = await signConfig(makeConfig());
    pages = await startPageServer();
  });
  test.afterEach(async () => {
    await union?.close();
    await pages?.close();
  });
  const started = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`the ${what} starts before each test`);
    return value;
  };
  return {
    get union() {
      return started(union, 'fake union');
    },
    get pages() {
      return started(pages, 'page server');
    },
  };
}

/** Visits counted for `categoryId` in the open (not yet closed) epochs, via the e2e hook. */
export async function openVisits(page: Page, categoryId: number): Promise<number> {
  const open = (await hook(page, 'openTallies')) as {
    tallies: Record<string, { visits: number }>;
  }[];
  return open.reduce((sum, e) => sum + (e.tallies[String(categoryId)]?.visits ?? 0), 0);
}
