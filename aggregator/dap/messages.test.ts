/**
 * Round trips and hand-assembled golden bytes for the DAP-09 messages the leader and the helper
 * exchange (the upload messages are cross-checked against the real client in client-interop.test.ts).
 * Golden bytes follow the draft's TLS structs field by field, written out independently of the codec.
 */
import { describe, expect, it } from 'vitest';
import { decode, encode, type Codec } from './codec.ts';
import {
  aggregationJobContinueReqCodec,
  aggregationJobInitReqCodec,
  aggregationJobRespCodec,
  pingPongMessageCodec,
  type AggregationJobInitReq,
  type PrepareResp,
} from './aggregation.ts';
import {
  aggregateShareAadCodec,
  aggregateShareCodec,
  aggregateShareReqCodec,
  collectionCodec,
  collectionReqCodec,
} from './collection.ts';
import { hpkeConfigListCodec, inputShareAadCodec, plaintextInputShareCodec } from './upload.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);
const reportId = bytes(16, 0xaa);
const ciphertext = { configId: 3, enc: bytes(2, 0xee), payload: bytes(3, 0xcc) };
const interval = { start: 1_796_000_000, duration: 3600 };

function roundTrip<T>(codec: Codec<T>, value: T, what: string): Uint8Array {
  const encoded = encode(codec, value);
  expect(decode(codec, encoded, what)).toEqual(value);
  return encoded;
}

describe('DAP-09 message codec', () => {
  it('encodes AggregationJobInitReq as agg_param, partial batch selector, prepare inits', () => {
    const req: AggregationJobInitReq = {
      aggregationParameter: new Uint8Array(0),
      prepareInits: [
        {
          reportShare: {
            metadata: { reportId, time: 3600 },
            publicShare: bytes(1, 0x11),
            encryptedInputShare: ciphertext,
          },
          message: { type: 'initialize', prepShare: bytes(2, 0x22) },
        },
      ],
    };
    const encoded = roundTrip(aggregationJobInitReqCodec, req, 'init req');
    const prepareInit =
      'aa'.repeat(16) +
      '0000000000000e10' +
      '00000001 11' +
      '03 0002eeee 00000003cccccc' +
      '00000007' +
      '00 00000002 2222';
    expect(encoded).toEqual(hex('00000000' + '01' + '00000034' + prepareInit));
  });

  it('encodes each PrepareResp state and refuses an unknown one', () => {
    const resps: PrepareResp[] = [
      { reportId, state: 'continue', message: { type: 'finish', prepMsg: bytes(1, 0x33) } },
      { reportId, state: 'finished' },
      { reportId, state: 'reject', error: 'vdaf_prep_error' },
    ];
    const encoded = roundTrip(aggregationJobRespCodec, resps, 'resp');
    const id = 'aa'.repeat(16);
    expect(encoded).toEqual(
      hex('0000003e' + id + '00 00000006 02 00000001 33' + id + '01' + id + '02 05'),
    );
    const badState = hex('00000011' + id + '03');
    expect(() => decode(aggregationJobRespCodec, badState, 'resp')).toThrow(
      expect.objectContaining({ code: 'BAD_VALUE' }),
    );
  });

  it('round-trips the ping-pong continue message and the continue request', () => {
    roundTrip(
      pingPongMessageCodec,
      { type: 'continue', prepMsg: bytes(2, 1), prepShare: bytes(3, 2) },
      'msg',
    );
    const req = {
      step: 1,
      prepareContinues: [{ reportId, message: { type: 'finish' as const, prepMsg: bytes(1, 9) } }],
    };
    const encoded = roundTrip(aggregationJobContinueReqCodec, req, 'continue req');
    expect(encoded.subarray(0, 2)).toEqual(hex('0001'));
  });

  it('encodes the collection messages with a time-interval batch selector', () => {
    const collectReq = roundTrip(
      collectionReqCodec,
      { batchInterval: interval, aggregationParameter: new Uint8Array(0) },
      'collect req',
    );
    expect(collectReq).toEqual(hex('01 000000006b0cc900 0000000000000e10 00000000'));
    roundTrip(
      collectionCodec,
      {
        reportCount: 60,
        interval,
        leaderEncryptedAggregateShare: ciphertext,
        helperEncryptedAggregateShare: { ...ciphertext, configId: 4 },
      },
      'collection',
    );
    const shareReq = roundTrip(
      aggregateShareReqCodec,
      {
        batchInterval: interval,
        aggregationParameter: new Uint8Array(0),
        reportCount: 2,
        checksum: bytes(32, 5),
      },
      'aggregate share req',
    );
    expect(shareReq).toHaveLength(1 + 16 + 4 + 8 + 32);
    roundTrip(aggregateShareCodec, ciphertext, 'aggregate share');
    const aad = roundTrip(
      aggregateShareAadCodec,
      { taskId: bytes(32, 1), aggregationParameter: new Uint8Array(0), batchInterval: interval },
      'aggregate share aad',
    );
    expect(aad).toHaveLength(32 + 4 + 17);
  });

  it('round-trips the upload-side messages the client does not let us compare directly', () => {
    roundTrip(hpkeConfigListCodec, [], 'config list');
    roundTrip(
      plaintextInputShareCodec,
      { extensions: [{ type: 0xff00, data: bytes(2, 1) }], payload: bytes(4, 2) },
      'pis',
    );
    roundTrip(
      inputShareAadCodec,
      { taskId: bytes(32, 1), metadata: { reportId, time: 0 }, publicShare: bytes(0, 0) },
      'aad',
    );
  });

  it('refuses truncated input, trailing bytes, a fixed_size selector and a time beyond 2^53', () => {
    const good = encode(collectionReqCodec, {
      batchInterval: interval,
      aggregationParameter: bytes(1, 7),
    });
    expect(() => decode(collectionReqCodec, good.subarray(0, good.length - 1), 'req')).toThrow(
      expect.objectContaining({ code: 'TRUNCATED' }),
    );
    expect(() => decode(collectionReqCodec, Uint8Array.of(...good, 0), 'req')).toThrow(
      expect.objectContaining({ code: 'TRAILING_BYTES' }),
    );
    const fixedSize = Uint8Array.of(2, ...good.subarray(1));
    expect(() => decode(collectionReqCodec, fixedSize, 'req')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED' }),
    );
    const huge = hex('01 ffffffffffffffff 0000000000000e10 00000000');
    expect(() => decode(collectionReqCodec, huge, 'req')).toThrow(
      expect.objectContaining({ code: 'BAD_VALUE' }),
    );
  });
});
