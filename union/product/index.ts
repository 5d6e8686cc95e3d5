/**
 * The data product's pure core (issue 8). Routes, the SSE feed, SIWE access and the export CLI
 * sit on top of these functions; nothing here does I/O.
 *
 *   reports of an epoch (once its acceptance window closed) ──aggregateEpoch──► PublishedEpoch
 *   the aggregators' noisy sums of an epoch (DAP collection) ──dapEpoch──► PublishedEpoch
 *   PublishedEpoch ──epochRows──► ProductRow[] ──encodeRows(format)──► byte chunks
 *   ProductRow stream ──publicSample──► SampleRow[] (free sample)
 */
export { aggregateEpoch } from './aggregate.ts';
export { dapEpoch, type ReleasedNoise } from './dap-epoch.ts';
export { configInForce } from './config-in-force.ts';
export { COUNT_STEP } from './rounding.ts';
export { epochRows, productTable, type ProductRow } from './product-row.ts';
export { publicSample, SAMPLE_MIN_AGE_SECONDS } from './sample.ts';
export { sampleTable } from './sample-row.ts';
export { datasheet, datasheetMarkdownUrl } from './datasheet.ts';
export { encodeRows, exportFormats, isExportFormat, type ExportFormat } from './export/formats.ts';
export { decodeCsv, decodeNdjson, decodeParquet } from './export/decode.ts';
export type * from './types.ts';
