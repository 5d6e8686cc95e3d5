/**
 * `npm start`: brings up the local union. For now it builds the extension into dist/ and says what
 * comes next; the chain, union server and console are added by later issues.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
console.log('Building the Crowdsell extension into dist/ …');
execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
console.log(`
Crowdsell extension built: ${path.join(root, 'dist')}

Load it in Chrome/Chromium: open chrome://extensions, switch on "Developer mode",
click "Load unpacked" and choose the dist/ folder above.

The local union (chain, union server, console) is not part of this build yet.
`);
