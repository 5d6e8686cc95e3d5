/**
 * `npm run bench:gas`: gas used by the DataUnion (a factory-made clone) and Marketplace hot
 * paths, and by a new union through the DataUnionFactory, on the in-process EVM (Hardhat 2,
 * cancun); scenarios in contracts/testing/gas-scenarios.ts. The table also shows a full
 * deployment of the DataUnion template for comparison. The last line of output is one JSON
 * object: { commit, withdrawAllDepth10, withdrawAllDepth20, firstSignedWithdrawDepth20, buy,
 * createUnion }.
 */
import { GAS_TARGETS, measureGas } from '../contracts/testing/gas-scenarios.ts';

const { figures, extra } = await measureGas();
console.table({ ...figures, ...extra });
console.log(`targets: ${JSON.stringify(GAS_TARGETS)}`);
console.log(JSON.stringify(figures));
