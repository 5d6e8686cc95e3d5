import { describe, expect, it } from 'vitest';

import { hexPreview, hexSize, SHOWN_BYTES } from './dap-bytes.ts';

describe('a DAP report’s bytes for display', () => {
  it('counts the bytes of the hex and shortens only what is longer than the preview', () => {
    expect(hexSize('0x')).toBe(0);
    expect(hexSize('0x00ff10')).toBe(3);
    expect(hexPreview('0x00ff10')).toBe('00ff10');
    const long = `0x${'ab'.repeat(SHOWN_BYTES + 1)}`;
    expect(hexPreview(long)).toBe(`${'ab'.repeat(SHOWN_BYTES)}…`);
  });
});
