import { afterAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

import './zod-config.ts';

describe('zod configuration for the extension', () => {
  const constructor = vi.spyOn(globalThis, 'Function');
  afterAll(() => constructor.mockRestore());

  it('parses objects without compiling code, as the MV3 CSP requires', () => {
    expect(z.config().jitless).toBe(true);
    const schema = z.object({ a: z.number(), b: z.object({ c: z.string() }) });
    for (let i = 0; i < 3; i++)
      expect(schema.parse({ a: i, b: { c: 'x' } })).toEqual({ a: i, b: { c: 'x' } });
    expect(constructor).not.toHaveBeenCalled();
  });
});
