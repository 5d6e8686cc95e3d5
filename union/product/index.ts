/**
 * The data product's pure core (issue 8). Routes, the SSE feed, SIWE access and the export CLI
 * sit on top of these functions; nothing here does I/O.
 *
 *   reports of an epoch (once its acceptance window closed) ──aggregateEpoch──► PublishedEpoch
 *   PublishedEpoch ──epochRows──► ProductRow[] ──encodeRows(format)──► byte chunks
 *   ProductRow stream ──publicSample──► SampleRow[] (free sample)
 */
export { aggregateEpoch } from './aggregate.ts';
export { configInForce } from './config-in-force.ts';
export { estimateMeasure, noiseVariance, Z_95 } from './cell-estimate.ts';
export { COUNT_STEP, publishedCount, type RoundedCount } from './rounding.ts';
export {
  epochRows,
  productColumns,
  productRowSchema,
  productTable,
  type ProductRow,
  type PublishedRow,
  type SuppressedRow,
} from './product-row.ts';
export {
  publicSample,
  periodBounds,
  SAMPLE_MIN_AGE_SECONDS,
  type SampleOptions,
} from './sample.ts';
export {
  sampleColumns,
  sampleRowSchema,
  sampleTable,
  type SamplePeriod,
  type SampleRow,
} from './sample-row.ts';
export { datasheet, datasheetMarkdownUrl, DATASHEET_VERSION, type Datasheet } from './datasheet.ts';
export {
  encodeRows,
  exportFormats,
  exportFormatNames,
  isExportFormat,
  type ExportFormat,
} from './export/formats.ts';
export { decodeCsv, decodeNdjson, decodeParquet } from './export/decode.ts';
export type { ColumnSpec, TableSpec, RowSource } from './export/table.ts';
export type * from './types.ts';
