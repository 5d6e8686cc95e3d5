/**
 * Finds the Chromium binary for e2e tests. A missing browser is a failure with a sentence telling
 * the user how to fix it, never a silent skip.
 */
import { existsSync } from 'node:fs';

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error(
    'Chromium was not found. Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu) ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome binary, then run the tests again.',
  );
}

/** Flags that keep Chromium quiet on a machine with no network but loopback. */
export const quietChromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];
