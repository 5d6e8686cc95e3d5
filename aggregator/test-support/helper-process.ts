/**
 * `npm run union -- helper` as a child process for tests: started with the given environment,
 * its URL read from the line it logs, stopped with SIGTERM (its exit code returned), and any
 * left running killed at the end of the file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const children: ChildProcess[] = [];

export function killProcesses(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}

export async function startProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(path.join('node_modules', '.bin', 'tsx'), ['union/cli/main.ts', 'helper'], {
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
    child.once('exit', (code) => reject(new Error(`helper exited (${code}): ${output}`)));
  });
  return { child, url };
}

export async function stopProcess(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}
