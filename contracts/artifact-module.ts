/**
 * Renders a compiled contract as a TypeScript module: the ABI `as const`, the creation bytecode,
 * and ethers v6 types for its methods and events, so callers get checked arguments and results
 * without a code generator dependency (TypeChain) or ABI type inference at compile time.
 */
import { format, resolveConfig } from 'prettier';
import type { AbiItem, AbiParameter, CompiledContract } from './compile.ts';

/** `DataUnion` → `data-union` (file name) and `dataUnion` (identifier prefix). */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function inputType(param: AbiParameter): string {
  const array = /^(.*)\[(\d*)\]$/.exec(param.type);
  if (array) return `${inputType({ ...param, type: array[1] ?? '' })}[]`;
  if (param.type === 'tuple') {
    return `{ ${(param.components ?? []).map((c) => `${c.name}: ${inputType(c)}`).join('; ')} }`;
  }
  if (param.type === 'address') return 'AddressLike';
  if (param.type === 'bool') return 'boolean';
  if (param.type === 'string') return 'string';
  if (/^u?int\d*$/.test(param.type)) return 'BigNumberish';
  if (/^bytes\d*$/.test(param.type)) return 'BytesLike';
  throw new Error(`unsupported ABI type ${param.type}`);
}

function outputType(param: AbiParameter): string {
  const array = /^(.*)\[(\d*)\]$/.exec(param.type);
  if (array) return `${outputType({ ...param, type: array[1] ?? '' })}[]`;
  if (param.type === 'tuple') return resultType(param.components ?? []);
  if (param.type === 'bool') return 'boolean';
  if (/^u?int\d*$/.test(param.type)) return 'bigint';
  if (['address', 'string'].includes(param.type) || /^bytes\d*$/.test(param.type)) return 'string';
  throw new Error(`unsupported ABI type ${param.type}`);
}

/** ethers returns a `Result`: an array that also has the named fields. */
function resultType(params: readonly AbiParameter[]): string {
  const tuple = `[${params.map((p, i) => `${p.name || `arg${i}`}: ${outputType(p)}`).join(', ')}]`;
  const named = params.filter((p) => p.name);
  if (named.length === 0) return tuple;
  return `${tuple} & { ${named.map((p) => `${p.name}: ${outputType(p)}`).join('; ')} }`;
}

function argsTuple(params: readonly AbiParameter[]): string {
  return `[${params.map((p, i) => `${p.name || `arg${i}`}: ${inputType(p)}`).join(', ')}]`;
}

function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Multi-value and struct results get a named alias (`<Contract><Method>Result`). */
function resultAlias(contract: string, fn: AbiItem): { name: string; type: string } | undefined {
  const outputs = fn.outputs ?? [];
  const single = outputs.length === 1 ? outputs[0] : undefined;
  if (single && single.type !== 'tuple') return undefined;
  if (outputs.length === 0) return undefined;
  const type = single ? outputType(single) : resultType(outputs);
  return { name: `${contract}${pascalCase(fn.name ?? '')}Result`, type };
}

function methodType(contract: string, fn: AbiItem): string {
  const outputs = fn.outputs ?? [];
  const alias = resultAlias(contract, fn);
  const result = alias?.name ?? (outputs[0] ? outputType(outputs[0]) : '[]');
  const isView = fn.stateMutability === 'view' || fn.stateMutability === 'pure';
  return `BaseContractMethod<${argsTuple(fn.inputs ?? [])}, ${result}, ${
    isView ? result : 'ContractTransactionResponse'
  }>`;
}

function eventArgs(event: AbiItem): string {
  const fields = (event.inputs ?? []).map((p) => {
    // Indexed dynamic values are only their topic hash.
    const hashed = p.indexed && (p.type === 'string' || p.type === 'bytes' || p.type === 'tuple');
    return `${p.name}: ${hashed ? 'string' : outputType(p)}`;
  });
  return fields.length === 0 ? 'Record<string, never>' : `{ ${fields.join('; ')} }`;
}

function byName(items: readonly AbiItem[]): AbiItem[] {
  const names = items.map((i) => i.name ?? '');
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`overloaded ${duplicate} is not supported by the generator`);
  return [...items].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
}

/** The TypeScript source of `contracts/generated/<kebab-name>.ts`, formatted with Prettier. */
export async function renderArtifactModule(
  contract: CompiledContract,
  header: string,
  filePath: string,
): Promise<string> {
  const id = camelCase(contract.name);
  const type = contract.name;
  const functions = byName(contract.abi.filter((i) => i.type === 'function'));
  const events = byName(contract.abi.filter((i) => i.type === 'event'));
  const constructorInputs = contract.abi.find((i) => i.type === 'constructor')?.inputs ?? [];
  const aliases = functions.flatMap((fn) => {
    const alias = resultAlias(type, fn);
    return alias ? [`export type ${alias.name} = ${alias.type};`] : [];
  });

  const body = `export const ${id}Abi = ${JSON.stringify(contract.abi)} as const;

/** Creation bytecode; append the ABI-encoded constructor arguments (ethers' ContractFactory does). */
export const ${id}Bytecode = '${contract.bytecode}';

export type ${type}ConstructorArgs = ${argsTuple(constructorInputs)};

${aliases.join('\n\n')}

export interface ${type}Methods {
${functions.map((fn) => `  ${fn.name ?? ''}: ${methodType(type, fn)};`).join('\n')}
}

/** An ethers contract typed by the ABI; see \`${id}At\`. */
export type ${type}Contract = Omit<BaseContract, 'connect'> &
  ${type}Methods & { connect(runner: ContractRunner | null): ${type}Contract };

/** Event arguments by event name, as decoded by ethers. */
export interface ${type}Events {
${events.map((ev) => `  ${ev.name ?? ''}: ${eventArgs(ev)};`).join('\n')}
}

export type ${type}ErrorName = Extract<(typeof ${id}Abi)[number], { type: 'error' }>['name'];

/** The ${type} at \`address\`, connected to \`runner\` (a provider for reads, a signer for writes). */
export function ${id}At(address: string, runner?: ContractRunner | null): ${type}Contract {
  return new Contract(address, ${id}Abi, runner) as unknown as ${type}Contract;
}
`;
  const ethersTypes = [
    'AddressLike',
    'BaseContract',
    'BaseContractMethod',
    'BigNumberish',
    'BytesLike',
    'ContractRunner',
    'ContractTransactionResponse',
  ].filter((name) => new RegExp(`\\b${name}\\b`).test(body));
  const source = `// Generated by \`npm run build:contracts\` from ${contract.source}. Do not edit.
// ${header}
import { Contract } from 'ethers';
import type { ${ethersTypes.join(', ')} } from 'ethers';

${body}`;
  const options = (await resolveConfig(filePath)) ?? {};
  return format(source, { ...options, filepath: filePath });
}
