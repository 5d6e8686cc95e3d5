import { describe, expect, it } from 'vitest';

import { decodeSentBody } from './sent-body.ts';

describe('sent report decoding', () => {
  const report = {
    member: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    epochStart: 1_700_006_400,
    epochSeconds: 86_400,
    configVersion: 1,
    counts: [{ category: 289, visits: 3, activeSeconds: -2 }],
  };
  const signature = `0x${'ab'.repeat(65)}`;

  it('decodes a signed report body into its fields', () => {
    expect(decodeSentBody(JSON.stringify({ report, signature }))).toEqual({ report, signature });
  });

  it('returns null for a body that is not a signed report, so only the raw text is shown', () => {
    expect(decodeSentBody('{"report":{}}')).toBeNull();
    expect(decodeSentBody('not json')).toBeNull();
  });
});
