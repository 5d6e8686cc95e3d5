/**
 * Compiles the contracts and renders every `contracts/generated/*.ts` module in memory. Shared by
 * the build CLI (which writes them) and the freshness test (which compares them with the files).
 */
import { join } from 'node:path';
import { renderArtifactModule, kebabCase } from './artifact-module.ts';
import { compileContracts, compilerSettings, repoRoot, solcVersion } from './compile.ts';

export const generatedDir = join(repoRoot, 'contracts', 'generated');

export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

export async function generateArtifactFiles(): Promise<GeneratedFile[]> {
  const { evmVersion, viaIR, optimizer } = compilerSettings;
  const compiler = solcVersion.replace(/\.Emscripten.*$/, '');
  const header = `solc ${compiler}, evmVersion ${evmVersion}, viaIR ${viaIR}, optimizer ${optimizer.runs} runs`;
  const files: GeneratedFile[] = [];
  for (const contract of compileContracts()) {
    const path = join(generatedDir, `${kebabCase(contract.name)}.ts`);
    files.push({ path, content: await renderArtifactModule(contract, header, path) });
  }
  return files;
}
