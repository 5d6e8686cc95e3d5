/**
 * `npm run build:contracts`: compiles contracts/*.sol offline and writes the typed artifacts to
 * contracts/generated/ (committed, so a fresh clone typechecks without building).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { repoPath } from './compile.ts';
import { generateArtifactFiles, generatedDir } from './generate-artifacts.ts';

const started = performance.now();
const files = await generateArtifactFiles();
await mkdir(generatedDir, { recursive: true });
for (const file of files) {
  await writeFile(file.path, file.content);
  console.log(`wrote ${repoPath(file.path)}`);
}
console.log(`contracts built in ${Math.round(performance.now() - started)} ms`);
