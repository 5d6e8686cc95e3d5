/**
 * Which config version is "in force" for an epoch: the highest version issued before the epoch
 * closed. Its categories define the epoch's cells and its kThreshold applies (aggregate.ts raises
 * k further if a contributing report's own config promised more).
 */
import { CrowdsellError } from '../../extension/protocol/errors.ts';

export function configInForce(
  configs: readonly { readonly version: number; readonly issuedAt: number }[],
  epochStart: number,
  epochSeconds: number,
): number {
  const epochEnd = epochStart + epochSeconds;
  const issued = configs.filter((c) => c.issuedAt < epochEnd).map((c) => c.version);
  if (issued.length === 0) {
    throw new CrowdsellError(
      'PRODUCT_NO_CONFIG_IN_FORCE',
      `No config was issued before the epoch starting at ${epochStart} closed.`,
    );
  }
  return Math.max(...issued);
}
