/**
 * DAP-09 batch identification (§4.1 and §4.5), time-interval queries only: the union's batches are
 * epochs, so `fixed_size` (query type 2) is decoded as UNSUPPORTED rather than half-implemented.
 */
import { DapDecodeError, type Codec, type Reader } from './codec.ts';

/** `enum { reserved(0), time_interval(1), fixed_size(2), (255) } QueryType;` */
export const TIME_INTERVAL = 1;

/** `struct { Time start; Duration duration; } Interval;` — seconds. */
export interface Interval {
  readonly start: number;
  readonly duration: number;
}

export const intervalCodec: Codec<Interval> = {
  write(w, i) {
    w.u64(i.start);
    w.u64(i.duration);
  },
  read: (r) => ({ start: r.u64('the interval start'), duration: r.u64('the interval duration') }),
};

function readTimeInterval(r: Reader, what: string): void {
  const queryType = r.u8(`${what} query type`);
  if (queryType === 2) {
    throw new DapDecodeError(
      'UNSUPPORTED',
      `${what} uses fixed_size batches; this task is time_interval.`,
    );
  }
  if (queryType !== TIME_INTERVAL) {
    throw new DapDecodeError(
      'BAD_VALUE',
      `${what} query type ${queryType} is not one the draft defines.`,
    );
  }
}

/**
 * `BatchSelector` (leader → helper, aggregate share AAD) and `Query` (collector → leader) have the
 * same encoding for time-interval tasks: the query type, then the batch interval.
 */
export const batchIntervalSelectorCodec: Codec<Interval> = {
  write(w, interval) {
    w.u8(TIME_INTERVAL);
    intervalCodec.write(w, interval);
  },
  read(r) {
    readTimeInterval(r, 'the batch selector');
    return intervalCodec.read(r);
  },
};

/** `PartialBatchSelector` for time-interval tasks: only the query type (the body is `Empty`). */
export const partialTimeIntervalCodec: Codec<null> = {
  write: (w) => w.u8(TIME_INTERVAL),
  read(r) {
    readTimeInterval(r, 'the partial batch selector');
    return null;
  },
};
