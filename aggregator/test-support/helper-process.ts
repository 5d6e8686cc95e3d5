/**
 * `npm run union -- helper` (or `leader`) as a child process for tests: started with the given
 * environment, its URL read from the line it logs, later lines awaited with `waitFor`, stopped
 * with SIGTERM (its exit code returned), and any left running killed at the end of the file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const children: ChildProcess[] = [];

export function killProcesses(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}

export interface AggregatorProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process has printed so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in everything the process has printed. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the first non-null `find(everything printed so far)`, checked on each output. */
  waitUntil<T>(find: (output: string) => T | null): Promise<T>;
}

export async function startProcess(
  env: Record<string, string>,
  command: 'helper' | 'leader' = 'helper',
): Promise<AggregatorProcess> {
  // Node itself with tsx's loader, not the `tsx` command: that wrapper runs the program in a child
  // of its own and cannot pass on SIGKILL, so killing it would leave the aggregator running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'union/cli/main.ts', command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}): ${output}`)));
  });
  const waitUntil = <T>(find: (output: string) => T | null) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = find(output);
        if (found === null) return false;
        child.stdout?.off('data', check);
        child.stderr?.off('data', check);
        resolve(found);
        return true;
      };
      if (check()) return;
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      child.once('exit', (code) => reject(new Error(`${command} exited (${code}): ${output}`)));
    });
  const waitFor = (pattern: RegExp) => waitUntil((all) => pattern.exec(all));
  return { child, url, output: () => output, waitFor, waitUntil };
}

export async function stopProcess(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}
