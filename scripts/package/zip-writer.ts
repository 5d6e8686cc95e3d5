/**
 * A small ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record; deflate
 * via node:zlib, CRC-32 via node:zlib). Enough for store uploads, and dependency-free so CI needs
 * nothing extra. Output is reproducible: entries are written in the order given with one fixed
 * timestamp, so the same files always give the same bytes and the same sha256.
 *
 * Limits, checked rather than silently broken: no ZIP64 (each entry and the whole archive must
 * stay under 4 GiB, at most 65 535 entries); names are relative, '/'-separated UTF-8.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the archive, '/'-separated, no leading '/'. */
  name: string;
  data: Uint8Array;
}

/** 1980-01-01 00:00 is the earliest time a DOS timestamp can hold. */
export const ZIP_EPOCH = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const UTF8_FLAG = 1 << 11;
const STORED = 0;
const DEFLATED = 8;
const MAX_U32 = 0xffffffff;

/** DOS date and time fields of `date`, read in UTC so the output does not depend on the TZ. */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = date.getUTCFullYear();
  if (year < 1980 || year > 2107) throw new Error(`ZIP timestamps cover 1980–2107, got ${year}`);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/** Throws unless `name` is a safe relative archive path. */
export function checkEntryName(name: string): void {
  if (
    name === '' ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.split('/').some((part) => part === '' || part === '.' || part === '..')
  ) {
    throw new Error(`unsafe ZIP entry name: ${JSON.stringify(name)}`);
  }
}

/** Builds a ZIP archive of `entries`, deflating each one unless that would make it larger. */
export function writeZip(entries: readonly ZipEntry[], modified: Date = ZIP_EPOCH): Buffer {
  if (entries.length > 0xffff) throw new Error('more than 65 535 entries needs ZIP64');
  const seen = new Set<string>();
  const { time, date } = dosDateTime(modified);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;

  for (const entry of entries) {
    checkEntryName(entry.name);
    if (seen.has(entry.name)) throw new Error(`duplicate ZIP entry: ${entry.name}`);
    seen.add(entry.name);
    const name = Buffer.from(entry.name, 'utf8');
    const raw = entry.data;
    if (raw.length >= MAX_U32)
      throw new Error(`${entry.name} is too large for a ZIP without ZIP64`);
    const deflated = deflateRawSync(raw, { level: 9 });
    const useDeflate = deflated.length < raw.length;
    const body = useDeflate ? deflated : Buffer.from(raw);
    const crc = crc32(raw);

    // The local header and the central directory entry repeat the same run of fields.
    const fields = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
      header.writeUInt16LE(UTF8_FLAG, at + 2);
      header.writeUInt16LE(useDeflate ? DEFLATED : STORED, at + 4);
      header.writeUInt16LE(time, at + 6);
      header.writeUInt16LE(date, at + 8);
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(body.length, at + 14);
      header.writeUInt32LE(raw.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
    };

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    fields(local, 4);
    // extra field length (28): zero

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
    fields(header, 6);
    // extra length (30), comment length (32), disk (34), internal attributes (36): all zero
    header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: regular file, rw-r--r--
    header.writeUInt32LE(offset, 42);

    parts.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
    if (offset >= MAX_U32) throw new Error('archive too large for a ZIP without ZIP64');
  }

  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8); // entries on this disk
  end.writeUInt16LE(entries.length, 10); // entries in total
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
