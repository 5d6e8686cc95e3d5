/**
 * Reads the Marketplace's events through any ethers provider (the researcher's wallet, or a
 * public RPC URL) and decodes them into the plain events `productsFromEvents` reduces. Logs are
 * fetched in block ranges, since public nodes cap how many blocks one `eth_getLogs` may span.
 */
import { Interface, type Log, type Provider } from 'ethers';

import type { MarketplaceEvent } from './catalog.ts';

export const marketplaceEventsAbi = [
  'event ProductCreated(bytes32 indexed productId, address indexed owner, address beneficiary, address token, uint256 pricePerSecond, string name)',
  'event ProductMetadataSet(bytes32 indexed productId, string metadataUrl)',
  'event ProductUpdated(bytes32 indexed productId, address beneficiary, uint256 pricePerSecond)',
  'event ProductDeactivated(bytes32 indexed productId)',
  'event ProductReactivated(bytes32 indexed productId)',
  'event Subscribed(bytes32 indexed productId, address indexed buyer, uint256 durationSeconds, uint256 paid, uint256 endsAt)',
] as const;

const events = new Interface(marketplaceEventsAbi);
/** Blocks per `eth_getLogs` request. */
export const LOG_RANGE = 10_000;

/** One log as an event, or null for any other event of the contract (e.g. ListerSet). */
export function decodeMarketplaceLog(log: Log): MarketplaceEvent | null {
  const parsed = events.parseLog({ topics: [...log.topics], data: log.data });
  if (!parsed) return null;
  const at = { blockNumber: log.blockNumber, logIndex: log.index };
  const a = parsed.args;
  const productId = String(a.getValue('productId')).toLowerCase();
  switch (parsed.name) {
    case 'ProductCreated':
      return {
        ...at,
        kind: 'created',
        productId,
        owner: String(a.getValue('owner')),
        beneficiary: String(a.getValue('beneficiary')),
        token: String(a.getValue('token')),
        pricePerSecond: a.getValue('pricePerSecond') as bigint,
        name: String(a.getValue('name')),
      };
    case 'ProductMetadataSet':
      return { ...at, kind: 'metadata', productId, metadataUrl: String(a.getValue('metadataUrl')) };
    case 'ProductUpdated':
      return {
        ...at,
        kind: 'updated',
        productId,
        beneficiary: String(a.getValue('beneficiary')),
        pricePerSecond: a.getValue('pricePerSecond') as bigint,
      };
    case 'ProductDeactivated':
      return { ...at, kind: 'deactivated', productId };
    case 'ProductReactivated':
      return { ...at, kind: 'reactivated', productId };
    case 'Subscribed':
      return { ...at, kind: 'subscribed', productId, paid: a.getValue('paid') as bigint };
    default:
      return null;
  }
}

/** Every Marketplace event from `fromBlock` to the latest block; `onProgress` gets 0…1. */
export async function readMarketplaceEvents(
  provider: Provider,
  marketplace: string,
  fromBlock: number,
  onProgress: (fraction: number) => void = () => {},
  range = LOG_RANGE,
): Promise<MarketplaceEvent[]> {
  const latest = await provider.getBlockNumber();
  const decoded: MarketplaceEvent[] = [];
  for (let start = fromBlock; start <= latest; start += range) {
    const end = Math.min(latest, start + range - 1);
    const logs = await provider.getLogs({ address: marketplace, fromBlock: start, toBlock: end });
    for (const log of logs) {
      const event = decodeMarketplaceLog(log);
      if (event) decoded.push(event);
    }
    onProgress(latest === fromBlock ? 1 : (end - fromBlock + 1) / (latest - fromBlock + 1));
  }
  return decoded;
}
