/**
 * What a union's own server says about its product, fetched from the union URL the product's
 * metadata names: `GET /v1/product`, the datasheet and the public sample (docs/union-api.md, the
 * three routes every union lets any origin read). Every request is bounded in time and size and
 * every answer is validated; a union that does not answer, answers garbage or sells another
 * product is reported `unreachable` with the reason, never thrown.
 */
import { z } from 'zod';

import { addressSchema } from '../../extension/protocol/wire.ts';

export const PROBE_TIMEOUT_MS = 5_000;
const MAX_JSON_BYTES = 512 * 1024;
const MAX_DATASHEET_BYTES = 256 * 1024;
const MAX_SAMPLE_BYTES = 2 * 1024 * 1024;
/** Rows of the public sample shown on the page (the rest is one click away at the union). */
export const SAMPLE_PREVIEW_ROWS = 5;

const productAnswer = z.object({
  name: z.string().max(200),
  description: z.string().max(4000),
  categories: z
    .array(z.object({ id: z.number().int(), key: z.string().max(100), label: z.string().max(200) }))
    .max(1000),
  /** Older unions do not publish it. */
  members: z.object({ active: z.number().int().min(0) }).optional(),
  epochs: z.object({ count: z.number().int().min(0) }),
  subscription: z
    .object({
      chainId: z.number().int().positive(),
      marketplace: addressSchema,
      productId: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
    })
    .nullable(),
});

const sampleCell = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
const sampleAnswer = z.object({
  period: z.enum(['week', 'month']),
  rows: z.array(z.record(z.string().max(100), sampleCell)).max(100_000),
});

export type SampleCell = z.infer<typeof sampleCell>;

export interface UnionFacts {
  state: 'reachable';
  url: string;
  name: string;
  description: string;
  categories: string[];
  /** Active members, or null when the union does not publish the count. */
  members: number | null;
  epochsPublished: number;
  /** The datasheet (Markdown, shown as text), or why it could not be read. */
  datasheet: { text: string } | { problem: string };
  sample:
    | { period: 'week' | 'month'; total: number; preview: Record<string, SampleCell>[] }
    | { problem: string };
}

export interface UnionUnreachable {
  state: 'unreachable';
  url: string;
  reason: string;
}

export type UnionProbe = UnionFacts | UnionUnreachable;

/** The product on chain the union's server must say it sells. */
export interface ExpectedProduct {
  chainId: number;
  marketplace: string;
  productId: string;
}

export interface ProbeDeps {
  fetch: typeof fetch;
  timeoutMs?: number;
}

class ProbeError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The union's origin, or why the URL cannot be one: https (plain http on loopback only). */
export function unionOrigin(url: string): { origin: string } | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'its URL is not a valid URL' };
  }
  if (parsed.username || parsed.password) return { problem: 'its URL carries credentials' };
  if (parsed.protocol === 'https:') return { origin: parsed.origin };
  if (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))
    return { origin: parsed.origin };
  return { problem: `its URL must use https (got ${parsed.protocol.replace(/:$/, '')})` };
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw new ProbeError(`the answer is larger than ${maxBytes} bytes`);
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ProbeError(`the answer is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

async function getText(
  deps: ProbeDeps,
  origin: string,
  path: string,
  maxBytes: number,
): Promise<string> {
  const timeoutMs = deps.timeoutMs ?? PROBE_TIMEOUT_MS;
  let response: Response;
  try {
    response = await deps.fetch(`${origin}${path}`, {
      signal: AbortSignal.timeout(timeoutMs),
      credentials: 'omit',
      redirect: 'error',
    });
  } catch (error) {
    const name = (error as { name?: string } | undefined)?.name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new ProbeError(`${path} did not answer within ${timeoutMs / 1000} s`);
    throw new ProbeError(`${path} cannot be reached (network error or no CORS permission)`);
  }
  if (!response.ok) throw new ProbeError(`${path} answered HTTP ${response.status}`);
  try {
    return await readCapped(response, maxBytes);
  } catch (error) {
    if (error instanceof ProbeError) throw new ProbeError(`${path}: ${error.message}`);
    throw new ProbeError(`${path} stopped answering mid-way`);
  }
}

async function getJson<T>(
  deps: ProbeDeps,
  origin: string,
  path: string,
  schema: z.ZodType<T>,
  maxBytes = MAX_JSON_BYTES,
): Promise<T> {
  const text = await getText(deps, origin, path, maxBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProbeError(`${path} did not answer JSON`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
    throw new ProbeError(`${path} answered an unexpected shape${where}`);
  }
  return parsed.data;
}

const problemOf = (error: unknown) =>
  error instanceof ProbeError ? error.message : 'an unexpected error';

function checkSameProduct(
  sold: z.infer<typeof productAnswer>['subscription'],
  expected: ExpectedProduct,
): void {
  if (!sold) throw new ProbeError('it sells no product on a Marketplace');
  if (sold.chainId !== expected.chainId)
    throw new ProbeError(`it sells on chain ${sold.chainId}, not ${expected.chainId}`);
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (!same(sold.marketplace, expected.marketplace) || !same(sold.productId, expected.productId))
    throw new ProbeError(
      `it sells product ${sold.productId.toLowerCase().slice(0, 10)}… on ${sold.marketplace.toLowerCase()}, not this one`,
    );
}

/** Asks the union at `url` about its product; never throws. */
export async function probeUnion(
  url: string,
  expected: ExpectedProduct,
  deps: ProbeDeps,
): Promise<UnionProbe> {
  const checked = unionOrigin(url);
  if ('problem' in checked) return { state: 'unreachable', url, reason: checked.problem };
  const { origin } = checked;
  const optional = <T>(read: Promise<T>) =>
    read.then(
      (value) => ({ value }),
      (error: unknown) => ({ problem: problemOf(error) }),
    );
  const datasheet = optional(
    getText(deps, origin, '/v1/product/datasheet?format=md', MAX_DATASHEET_BYTES),
  );
  const sample = optional(
    getJson(
      deps,
      origin,
      '/v1/product/sample?format=json&period=month',
      sampleAnswer,
      MAX_SAMPLE_BYTES,
    ),
  );
  try {
    const product = await getJson(deps, origin, '/v1/product', productAnswer);
    checkSameProduct(product.subscription, expected);
    const [sheet, rows] = await Promise.all([datasheet, sample]);
    return {
      state: 'reachable',
      url: origin,
      name: product.name,
      description: product.description,
      categories: product.categories.map((c) => c.label),
      members: product.members?.active ?? null,
      epochsPublished: product.epochs.count,
      datasheet: 'value' in sheet ? { text: sheet.value } : { problem: sheet.problem },
      sample:
        'value' in rows
          ? {
              period: rows.value.period,
              total: rows.value.rows.length,
              preview: rows.value.rows.slice(0, SAMPLE_PREVIEW_ROWS),
            }
          : { problem: rows.problem },
    };
  } catch (error) {
    // Let the optional reads settle so nothing is left pending behind the answer.
    await Promise.all([datasheet, sample]);
    return { state: 'unreachable', url: origin, reason: problemOf(error) };
  }
}
