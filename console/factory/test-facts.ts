/** A created union for the start-command tests (console and union side). */
import type { CreatedUnionFacts } from './start-command.ts';

export const facts: CreatedUnionFacts = {
  chainId: 31337,
  union: `0x${'aa'.repeat(20)}`,
  productId: `0x${'bb'.repeat(32)}`,
  admin: `0x${'cc'.repeat(20)}`,
  operator: `0x${'dd'.repeat(20)}`,
  token: `0x${'ee'.repeat(20)}`,
  marketplace: `0x${'ff'.repeat(20)}`,
  factory: `0x${'12'.repeat(20)}`,
  blockNumber: 42,
  unionUrl: 'http://127.0.0.1:18790',
  name: "Alice's weather",
  description: 'Rain; `rm -rf` $HOME "quoted"',
};
