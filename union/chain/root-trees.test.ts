/**
 * RootTrees (D-049): one build per root however many callers ask at once, nothing failed kept,
 * and only the trees of the roots that can still be asked for.
 */
import { describe, expect, it } from 'vitest';

import { RootTrees } from './root-trees.ts';

/** Builds resolved (or rejected) by the test, counted per block. */
function controlledBuilds() {
  const builds: number[] = [];
  const pending: { block: number; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const trees = new RootTrees<string>(
    (block) =>
      new Promise<string>((resolve, reject) => {
        builds.push(block);
        pending.push({ block, resolve, reject });
      }),
  );
  return { trees, builds, pending };
}

describe('RootTrees', () => {
  it('shares one build among concurrent callers, and keeps it for later ones', async () => {
    const { trees, builds, pending } = controlledBuilds();
    const asked = [trees.get(7), trees.get(7), trees.get(7)];
    pending[0]!.resolve('tree 7');
    expect(await Promise.all(asked)).toEqual(['tree 7', 'tree 7', 'tree 7']);
    expect(await trees.get(7)).toBe('tree 7');
    expect(builds).toEqual([7]);
  });

  it('does not keep a failed build: the next caller builds again', async () => {
    const { trees, builds, pending } = controlledBuilds();
    const first = trees.get(7);
    pending[0]!.reject(new Error('build failed (test)'));
    await expect(first).rejects.toThrow('build failed (test)');
    expect(trees.blocks()).toEqual([]);
    const second = trees.get(7);
    pending[1]!.resolve('tree 7');
    expect(await second).toBe('tree 7');
    expect(builds).toEqual([7, 7]);
  });

  it('keeps only the trees of the roots given, and a forgotten build still answers its callers', async () => {
    const { trees, builds, pending } = controlledBuilds();
    const old = trees.get(5);
    void trees.get(7);
    void trees.get(9);
    trees.keepOnly([7, null]);
    expect(trees.blocks()).toEqual([7]);
    pending[0]!.resolve('tree 5');
    expect(await old).toBe('tree 5');
    pending[1]!.resolve('tree 7');
    expect(await trees.get(7)).toBe('tree 7');
    expect(builds).toEqual([5, 7, 9]);
    trees.keepOnly([null, null]);
    expect(trees.blocks()).toEqual([]);
  });
});
