/**
 * Aggregate shares travel to the collector sealed under the draft-09 `info` for the sending
 * aggregator's role and an AAD naming the task and batch (the input-share side is checked against
 * the real client in client-interop.test.ts). Our HPKE library and `@hpke/core` (the core of
 * hpke-js, the client's library) open each other's ciphertexts.
 */
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { describe, expect, it } from 'vitest';
import { aggregateShareInfo, generateHpkeKeypair, Role, seal, sealAggregateShare } from './hpke.ts';
import { open, openAggregateShare } from './hpke-open.ts';

const hpkeJs = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes128Gcm(),
});

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

describe('HPKE against @hpke/core (the same suite as the client)', () => {
  const info = aggregateShareInfo(Role.leader);
  const aad = Uint8Array.of(9, 8, 7);
  const plaintext = new Uint8Array(9_400).map((_, i) => i % 251);

  it('@hpke/core opens what we seal to our own generated key', async () => {
    const recipient = await generateHpkeKeypair(3);
    const sealed = await seal(recipient.config, info, plaintext, aad);
    const recipientKey = await hpkeJs.kem.deserializePrivateKey(recipient.privateKey);
    const opened = await hpkeJs.open({ recipientKey, enc: sealed.enc, info }, sealed.payload, aad);
    expect(new Uint8Array(opened)).toEqual(plaintext);
  });

  it('we open what @hpke/core seals to our config, and nothing altered', async () => {
    const recipient = await generateHpkeKeypair(4);
    const recipientPublicKey = await hpkeJs.kem.deserializePublicKey(recipient.config.publicKey);
    const { enc, ct } = await hpkeJs.seal({ recipientPublicKey, info }, plaintext, aad);
    const sealed = { configId: 4, enc: new Uint8Array(enc), payload: new Uint8Array(ct) };
    await expect(open([recipient], sealed, info, aad)).resolves.toEqual(plaintext);
    const altered = { ...sealed, payload: sealed.payload.map((b, i) => (i === 5 ? b ^ 1 : b)) };
    await expect(open([recipient], altered, info, aad)).rejects.toMatchObject({
      code: 'hpke_decrypt_error',
    });
    await expect(open([recipient], sealed, info, Uint8Array.of(9, 8))).rejects.toMatchObject({
      code: 'hpke_decrypt_error',
    });
  });
});
