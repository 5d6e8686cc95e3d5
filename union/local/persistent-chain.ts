/**
 * Adapter: the Hardhat in-process EVM served on 127.0.0.1, with every state change appended to
 * `<dataDir>/chain-log.ndjson` and replayed at start (see chain-log.ts).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { Eip1193Provider } from 'ethers';

import { inProcessChain } from '../../contracts/chain.ts';
import {
  isBlockProducing,
  isRecorded,
  isRefused,
  parseChainLog,
  type ChainLogEntry,
} from './chain-log.ts';

interface RpcArgs {
  method: string;
  params?: unknown[] | Record<string, unknown>;
}

export interface PersistentChain {
  url: string;
  provider: Eip1193Provider;
  replayedCalls: number;
  close(): Promise<void>;
}

async function latestBlock(
  provider: Eip1193Provider,
): Promise<{ number: number; timestamp: number }> {
  const block = (await provider.request({
    method: 'eth_getBlockByNumber',
    params: ['latest', false],
  })) as { number: string; timestamp: string };
  return { number: Number(block.number), timestamp: Number(block.timestamp) };
}

async function blockTimestamp(provider: Eip1193Provider, number: number): Promise<number> {
  const block = (await provider.request({
    method: 'eth_getBlockByNumber',
    params: [`0x${number.toString(16)}`, false],
  })) as { timestamp: string };
  return Number(block.timestamp);
}

async function replay(provider: Eip1193Provider, entries: ChainLogEntry[]): Promise<void> {
  for (const entry of entries) {
    if (entry.timestamp !== undefined) {
      await provider.request({ method: 'evm_setNextBlockTimestamp', params: [entry.timestamp] });
    }
    try {
      await provider.request({ method: entry.method, params: entry.params });
    } catch (error) {
      if (!entry.failed) {
        throw new Error(
          `Replaying the local chain failed at ${entry.method}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    }
  }
}

/** Wraps the EVM so that state changes are logged; refuses calls that cannot be replayed. */
function recording(inner: Eip1193Provider, logFile: string): Eip1193Provider {
  const request = async (args: RpcArgs): Promise<unknown> => {
    if (isRefused(args.method)) {
      throw new Error(
        `${args.method} is disabled on the persistent local chain (it cannot be replayed).`,
      );
    }
    if (!isRecorded(args.method)) return inner.request(args);
    const before = await latestBlock(inner);
    let result: unknown;
    let failure: unknown;
    try {
      result = await inner.request(args);
    } catch (error) {
      failure = error;
    }
    const after = await latestBlock(inner);
    const mined = after.number > before.number;
    if (failure === undefined || mined) {
      const entry: ChainLogEntry = {
        method: args.method,
        params: Array.isArray(args.params) ? args.params : [],
        ...(isBlockProducing(args.method) && mined
          ? { timestamp: await blockTimestamp(inner, before.number + 1) }
          : {}),
        ...(failure === undefined ? {} : { failed: true }),
      };
      appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
    }
    if (failure !== undefined)
      throw failure instanceof Error ? failure : new Error('The local chain refused the call.');
    return result;
  };
  return { request };
}

export async function startPersistentChain(options: {
  dataDir: string;
  port: number;
  hostname?: string;
}): Promise<PersistentChain> {
  const logFile = path.join(options.dataDir, 'chain-log.ndjson');
  const genesisFile = path.join(options.dataDir, 'chain-genesis.json');
  if (existsSync(genesisFile)) {
    const { timestamp } = JSON.parse(readFileSync(genesisFile, 'utf8')) as { timestamp: number };
    process.env.CROWDSELL_CHAIN_GENESIS_DATE = new Date(timestamp * 1000).toISOString();
  }
  const evm = await inProcessChain();
  if (!existsSync(genesisFile)) {
    const genesis = await blockTimestamp(evm, 0);
    writeFileSync(genesisFile, `${JSON.stringify({ timestamp: genesis })}\n`);
  }
  let replayedCalls = 0;
  if (existsSync(logFile)) {
    const { entries, tornTail } = parseChainLog(readFileSync(logFile, 'utf8'));
    if (tornTail) writeFileSync(logFile, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await replay(evm, entries);
    replayedCalls = entries.length;
  }
  const provider = recording(evm, logFile);
  const hardhat = (await import('hardhat')).default as unknown as {
    run(task: string, args: Record<string, unknown>): Promise<unknown>;
  };
  const { TASK_NODE_CREATE_SERVER } = await import('hardhat/builtin-tasks/task-names.js');
  const hostname = options.hostname ?? '127.0.0.1';
  const server = (await hardhat.run(TASK_NODE_CREATE_SERVER, {
    hostname,
    port: options.port,
    provider,
  })) as { listen(): Promise<{ port: number }>; close(): Promise<void> };
  const { port } = await server.listen();
  return {
    url: `http://${hostname}:${port}`,
    provider,
    replayedCalls,
    close: () => server.close(),
  };
}
