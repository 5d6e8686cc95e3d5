/**
 * Two union instances on one fresh database of a real PostgreSQL cluster (the same DATABASE_URL,
 * each with its own connection pool) and one local EVM, for what the instances must do once
 * between them (the advisory-lock singletons). Both start, and migrate, together.
 */
import { createUnionServer, type UnionServer } from '../app.ts';
import { startChainFixture, type ChainFixture } from './chain-fixture.ts';
import { startPostgres } from './postgres-cluster.ts';

export interface UnionPair {
  fx: ChainFixture;
  instances: [UnionServer, UnionServer];
  /** Stops both instances, the chain and the cluster. */
  close(): Promise<void>;
}

export async function startUnionPair(
  database: string,
  chainOptions: Parameters<typeof startChainFixture>[0] = {},
): Promise<UnionPair> {
  const cluster = await startPostgres();
  let fx: ChainFixture | undefined;
  try {
    const url = await cluster.createDatabase(database);
    const chain = await startChainFixture(chainOptions);
    fx = chain;
    const start = () =>
      createUnionServer({
        ...chain.unionOptions(),
        database: { driver: 'postgres', url, poolSize: 4 },
      });
    const instances = await Promise.all([start(), start()]);
    return {
      fx: chain,
      instances,
      async close() {
        await Promise.all(instances.map((i) => i.close()));
        await chain.close();
        await cluster.stop();
      },
    };
  } catch (error) {
    await fx?.close();
    await cluster.stop();
    throw error;
  }
}
