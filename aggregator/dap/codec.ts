/**
 * The TLS presentation-language encoding DAP messages use (RFC 8446 §3): big-endian integers,
 * length-prefixed opaque strings and vectors. Encoding only; no cryptography here.
 *
 * A decoder reads from a `Reader` and throws `DapDecodeError` with a stable code and a human
 * sentence on truncated input, an over-long length or an unknown enum value; `decodeAll` also
 * refuses trailing bytes, so one byte string has exactly one meaning.
 */

export type DapDecodeCode = 'TRUNCATED' | 'TRAILING_BYTES' | 'BAD_VALUE' | 'UNSUPPORTED';

export class DapDecodeError extends Error {
  override readonly name = 'DapDecodeError';
  constructor(
    readonly code: DapDecodeCode,
    message: string,
  ) {
    super(message);
  }
}

/** How one message type is written and read. */
export interface Codec<T> {
  write(w: Writer, value: T): void;
  read(r: Reader): T;
}

export class Writer {
  readonly #parts: Uint8Array[] = [];
  #length = 0;

  #push(part: Uint8Array): void {
    this.#parts.push(part);
    this.#length += part.length;
  }

  #uint(value: number, size: 1 | 2 | 4, what: string): void {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * size)) {
      throw new RangeError(`${what} must be an integer in [0, 2^${8 * size}), got ${value}`);
    }
    const out = new Uint8Array(size);
    for (let i = size - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v % 256;
    this.#push(out);
  }

  u8(value: number): void {
    this.#uint(value, 1, 'uint8');
  }

  u16(value: number): void {
    this.#uint(value, 2, 'uint16');
  }

  u32(value: number): void {
    this.#uint(value, 4, 'uint32');
  }

  /** A uint64 carried as a JS number: every DAP time, duration and count fits in 2^53. */
  u64(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`uint64 must be a safe non-negative integer, got ${value}`);
    }
    this.u32(Math.floor(value / 2 ** 32));
    this.u32(value % 2 ** 32);
  }

  /** A fixed-length field such as a task id: the length is part of the type, not the wire. */
  fixed(bytes: Uint8Array, length: number, what: string): void {
    if (bytes.length !== length) {
      throw new RangeError(`${what} must be ${length} bytes, got ${bytes.length}`);
    }
    this.#push(bytes);
  }

  opaque16(bytes: Uint8Array): void {
    this.u16(bytes.length);
    this.#push(bytes);
  }

  opaque32(bytes: Uint8Array): void {
    this.u32(bytes.length);
    this.#push(bytes);
  }

  /** A vector whose length prefix counts bytes, not items (TLS `T items<0..2^16-1>`). */
  vec16<T>(codec: Codec<T>, items: readonly T[]): void {
    this.opaque16(encodeItems(codec, items));
  }

  vec32<T>(codec: Codec<T>, items: readonly T[]): void {
    this.opaque32(encodeItems(codec, items));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const part of this.#parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

function encodeItems<T>(codec: Codec<T>, items: readonly T[]): Uint8Array {
  const w = new Writer();
  for (const item of items) codec.write(w, item);
  return w.finish();
}

export class Reader {
  #offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.#offset;
  }

  #take(length: number, what: string): Uint8Array {
    if (length > this.remaining) {
      throw new DapDecodeError(
        'TRUNCATED',
        `The message ends early: ${what} needs ${length} bytes, ${this.remaining} are left.`,
      );
    }
    const out = this.bytes.slice(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  #uint(size: 1 | 2 | 4, what: string): number {
    return this.#take(size, what).reduce((acc, byte) => acc * 256 + byte, 0);
  }

  u8(what = 'a uint8'): number {
    return this.#uint(1, what);
  }

  u16(what = 'a uint16'): number {
    return this.#uint(2, what);
  }

  u32(what = 'a uint32'): number {
    return this.#uint(4, what);
  }

  u64(what = 'a uint64'): number {
    const high = this.u32(what);
    const low = this.u32(what);
    const value = high * 2 ** 32 + low;
    if (!Number.isSafeInteger(value)) {
      throw new DapDecodeError('BAD_VALUE', `${what} is ${high}·2^32 + ${low}, beyond 2^53.`);
    }
    return value;
  }

  fixed(length: number, what: string): Uint8Array {
    return this.#take(length, what);
  }

  opaque16(what = 'an opaque<0..2^16-1>'): Uint8Array {
    return this.#take(this.u16(what), what);
  }

  opaque32(what = 'an opaque<0..2^32-1>'): Uint8Array {
    return this.#take(this.u32(what), what);
  }

  vec16<T>(codec: Codec<T>, what: string): T[] {
    return readItems(codec, this.opaque16(what));
  }

  vec32<T>(codec: Codec<T>, what: string): T[] {
    return readItems(codec, this.opaque32(what));
  }
}

function readItems<T>(codec: Codec<T>, body: Uint8Array): T[] {
  const r = new Reader(body);
  const items: T[] = [];
  while (r.remaining > 0) items.push(codec.read(r));
  return items;
}

export function encode<T>(codec: Codec<T>, value: T): Uint8Array {
  const w = new Writer();
  codec.write(w, value);
  return w.finish();
}

/** Decodes one whole message: trailing bytes are an error, not ignored. */
export function decode<T>(codec: Codec<T>, bytes: Uint8Array, what: string): T {
  const r = new Reader(bytes);
  const value = codec.read(r);
  if (r.remaining !== 0) {
    throw new DapDecodeError(
      'TRAILING_BYTES',
      `${r.remaining} bytes follow the end of the ${what}.`,
    );
  }
  return value;
}

/** Reads a one-byte enum, refusing values the draft does not define. */
export function readEnum<T extends number>(r: Reader, allowed: readonly T[], what: string): T {
  const value = r.u8(what);
  const known = allowed.find((a) => a === value);
  if (known === undefined) {
    throw new DapDecodeError('BAD_VALUE', `${what} ${value} is not one the draft defines.`);
  }
  return known;
}

/** A message carried inside another as `opaque body<0..2^32-1>` (e.g. a ping-pong payload). */
export function nested32<T>(codec: Codec<T>, what: string): Codec<T> {
  return {
    write: (w, value) => w.opaque32(encode(codec, value)),
    read: (r) => decode(codec, r.opaque32(what), what),
  };
}
