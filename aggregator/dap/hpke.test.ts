/**
 * Aggregate shares travel to the collector sealed under the draft-09 `info` for the sending
 * aggregator's role and an AAD naming the task and batch (the input-share side is checked against
 * the real client in client-interop.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { generateHpkeKeypair, openAggregateShare, Role, sealAggregateShare } from './hpke.ts';

describe('aggregate share sealing', () => {
  it('opens for the collector only under the same role, task and batch', async () => {
    const collector = await generateHpkeKeypair(200);
    const aad = {
      taskId: new Uint8Array(32).fill(1),
      aggregationParameter: new Uint8Array(0),
      batchInterval: { start: 1_796_000_400, duration: 3600 },
    };
    const share = Uint8Array.of(1, 2, 3, 4);
    const sealed = await sealAggregateShare(collector.config, Role.helper, share, aad);
    expect(sealed.configId).toBe(200);
    await expect(openAggregateShare([collector], Role.helper, sealed, aad)).resolves.toEqual(share);
    await expect(openAggregateShare([collector], Role.leader, sealed, aad)).rejects.toMatchObject({
      code: 'hpke_decrypt_error',
    });
    const otherBatch = { ...aad, batchInterval: { start: 1_796_004_000, duration: 3600 } };
    await expect(
      openAggregateShare([collector], Role.helper, sealed, otherBatch),
    ).rejects.toMatchObject({
      code: 'hpke_decrypt_error',
    });
  });
});
