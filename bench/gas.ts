/**
 * `npm run bench:gas`: gas used by the DataUnion and Marketplace hot paths on the in-process EVM
 * (Hardhat 2, cancun); scenarios in contracts/testing/gas-scenarios.ts. The last line of output
 * is one JSON object: { commit, withdrawAllDepth10, withdrawAllDepth20,
 * firstSignedWithdrawDepth20, buy }.
 */
import { GAS_TARGETS, measureGas } from '../contracts/testing/gas-scenarios.ts';

const { figures, extra } = await measureGas();
console.table({ ...figures, ...extra });
console.log(`targets: ${JSON.stringify(GAS_TARGETS)}`);
console.log(JSON.stringify(figures));
