/**
 * The `--members 10000,100000` flag of the scale benchmarks (bench:validator; bench:scale parses
 * the same form): a comma-separated list of member counts from 10 to 1,000,000 (`_` allowed).
 */
export function membersFlag(argv: readonly string[], fallback: string): number[] {
  const at = argv.indexOf('--members');
  const text = at >= 0 ? argv[at + 1] : fallback;
  const list = (text ?? '').split(',').map((s) => Number(s.replace(/_/g, '')));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 10 || n > 1_000_000)) {
    throw new Error('--members takes a comma-separated list of integers from 10 to 1000000.');
  }
  return list;
}
