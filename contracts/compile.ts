/**
 * Offline Solidity compilation with the `solc` npm package (solc-js, standard JSON). Imports
 * resolve from node_modules, so no network and no Hardhat compiler download is needed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const require = createRequire(import.meta.url);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The contracts we ship artifacts for, in a fixed order so the build is deterministic. */
export const contractSources = [
  { name: 'DataUnion', source: 'contracts/DataUnion.sol' },
  { name: 'Marketplace', source: 'contracts/Marketplace.sol' },
  { name: 'DataUnionFactory', source: 'contracts/DataUnionFactory.sol' },
  { name: 'TestToken', source: 'contracts/test/TestToken.sol' },
  { name: 'ReentrantToken', source: 'contracts/test/ReentrantToken.sol' },
  { name: 'CloneMaker', source: 'contracts/test/CloneMaker.sol' },
] as const;

/**
 * `evmVersion` must match the hardfork of the local chain (hardhat.config.cjs). The IR pipeline
 * saves ~3,000 gas on a signed withdrawal (docs/contracts.md) at the price of a slower compile.
 */
export const compilerSettings = {
  evmVersion: 'cancun',
  viaIR: true,
  optimizer: { enabled: true, runs: 10_000 },
} as const;

export interface AbiParameter {
  readonly name: string;
  readonly type: string;
  readonly internalType?: string;
  readonly indexed?: boolean;
  readonly components?: readonly AbiParameter[];
}

export interface AbiItem {
  readonly type: 'function' | 'constructor' | 'event' | 'error' | 'fallback' | 'receive';
  readonly name?: string;
  readonly inputs?: readonly AbiParameter[];
  readonly outputs?: readonly AbiParameter[];
  readonly stateMutability?: 'pure' | 'view' | 'nonpayable' | 'payable';
  readonly anonymous?: boolean;
}

export interface CompiledContract {
  readonly name: string;
  readonly source: string;
  readonly abi: readonly AbiItem[];
  readonly bytecode: `0x${string}`;
}

interface SolcOutput {
  errors?: {
    severity: 'error' | 'warning' | 'info';
    formattedMessage: string;
    sourceLocation?: { file: string };
  }[];
  contracts?: Record<
    string,
    Record<string, { abi: AbiItem[]; evm: { bytecode: { object: string } } }>
  >;
}

type ImportResult = { contents: string } | { error: string };

// solc's own typings declare `compile` as `any`; this is its documented standard-JSON signature.
const compileStandardJson = solc.compile as (
  input: string,
  callbacks: { import: (path: string) => ImportResult },
) => string;

/** The compiler version, e.g. `0.8.37+commit.….Emscripten.clang`. */
export const solcVersion = (solc.version as () => string)();

function findImport(path: string): ImportResult {
  try {
    return { contents: readFileSync(require.resolve(path), 'utf8') };
  } catch {
    try {
      return { contents: readFileSync(join(repoRoot, path), 'utf8') };
    } catch {
      return { error: `File not found: ${path}` };
    }
  }
}

/** Compiles every contract in `contractSources`; throws with solc's messages on any error. */
export function compileContracts(): CompiledContract[] {
  const sources = Object.fromEntries(
    contractSources.map(({ source }) => [
      source,
      { content: readFileSync(join(repoRoot, source), 'utf8') },
    ]),
  );
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      ...compilerSettings,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(
    compileStandardJson(JSON.stringify(input), { import: findImport }),
  ) as SolcOutput;

  // Warnings in our own sources fail the build too: they are cheap to fix while the contracts are
  // small. Dependencies' warnings (OpenZeppelin's note on transient storage) are theirs to judge.
  const problems = (output.errors ?? []).filter(
    (e) =>
      e.severity === 'error' ||
      (e.severity === 'warning' && e.sourceLocation?.file.startsWith('contracts/') !== false),
  );
  if (problems.length > 0) {
    throw new Error(`solc reported:\n${problems.map((e) => e.formattedMessage).join('\n')}`);
  }
  return contractSources.map(({ name, source }) => {
    const compiled = output.contracts?.[source]?.[name];
    if (!compiled) throw new Error(`solc produced no output for ${source}:${name}`);
    return { name, source, abi: compiled.abi, bytecode: `0x${compiled.evm.bytecode.object}` };
  });
}

/** Path of a repository file relative to the root, for messages. */
export function repoPath(absolute: string): string {
  return relative(repoRoot, absolute);
}

export { repoRoot };
