/**
 * The benchmark's side of a second union instance (bench/scale-instance.ts runs in the child):
 * spawn it with tsx's loader, hand it the database and the options, and send it job commands.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

import type { InstanceCommand, InstanceStart } from './scale-instance.ts';

export interface InstanceProcess {
  url: string;
  pid: number;
  /** Runs the revenue watcher's or the committer's tick in that instance. */
  run(cmd: 'watch' | 'commit'): Promise<unknown>;
  close(): Promise<void>;
}

interface Answer {
  id?: number;
  url?: string;
  result?: unknown;
  error?: string;
}

export async function startInstanceProcess(start: InstanceStart): Promise<InstanceProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'scale-instance.ts')],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' },
  );
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the second instance exited (${code})`)));
    child.once('message', (m: Answer) =>
      m.url ? resolve(m.url) : reject(new Error(`the second instance failed: ${m.error ?? ''}`)),
    );
    child.send(start);
  });
  child.on('message', (m: Answer) => {
    const w = m.id === undefined ? undefined : waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id!);
    if (m.error !== undefined) w.reject(new Error(m.error));
    else w.resolve(m.result);
  });
  const command = (cmd: InstanceCommand['cmd']) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ id, cmd } satisfies InstanceCommand);
    });
  return {
    url,
    pid: child.pid!,
    run: command,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await command('close');
      await exited;
    },
  };
}
