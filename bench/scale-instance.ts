/**
 * A second union instance for `bench:scale` (issue 19), in a process of its own as a deployment
 * runs it (two instances in one process would share one event loop): it opens the same PostgreSQL
 * database, starts the union with the options the benchmark sends over IPC, answers with its URL,
 * and then runs the singleton jobs when asked (`watch`, `commit`), so the benchmark can check that
 * two instances ticking at once apply a revenue event once and commit one root per period.
 */
import { startUnion } from '../union/app.ts';
import type { UnionOptionsInput } from '../union/config/options.ts';
import { openPostgres } from '../union/db/postgres-driver.ts';

export interface InstanceStart {
  databaseUrl: string;
  options: Omit<UnionOptionsInput, 'db' | 'database' | 'now'>;
}

export type InstanceCommand = { id: number; cmd: 'watch' | 'commit' | 'close' };

const send = (message: unknown) => process.send?.(message);

process.once('message', (start: InstanceStart) => {
  void (async () => {
    const db = await openPostgres({ url: start.databaseUrl, poolSize: 10 });
    const union = await startUnion({ ...start.options, db });
    process.on('message', (m: InstanceCommand) => {
      void (async () => {
        try {
          const mono = union.monoplasma;
          if (m.cmd === 'close') {
            await union.close();
            await db.close();
            send({ id: m.id, result: null });
            process.disconnect();
            return;
          }
          if (!mono) throw new Error('this instance has no chain');
          const result = m.cmd === 'watch' ? await mono.watch() : await mono.committer.tick();
          send({ id: m.id, result });
        } catch (error) {
          send({ id: m.id, error: error instanceof Error ? error.message : String(error) });
        }
      })();
    });
    send({ url: union.url });
  })().catch((error: unknown) => {
    send({ error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});
