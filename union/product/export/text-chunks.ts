/**
 * Batches text lines into UTF-8 chunks of about `chunkBytes`, so a stream of a million rows is a
 * few hundred writes to the socket rather than a million, while memory stays at one chunk.
 */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

export async function* textChunks(
  lines: AsyncIterable<string>,
  chunkBytes: number = DEFAULT_CHUNK_BYTES,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let pendingLength = 0; // UTF-16 code units; × 3 bounds the UTF-8 byte length
  for await (const line of lines) {
    pending.push(line);
    pendingLength += line.length;
    if (pendingLength * 3 >= chunkBytes) {
      yield encoder.encode(pending.join(''));
      pending = [];
      pendingLength = 0;
    }
  }
  if (pending.length > 0) yield encoder.encode(pending.join(''));
}
