// Hardhat 2 is used as a chain only (in-process provider for tests, JSON-RPC server for
// `npm start`); contracts are compiled offline by contracts/build.ts. CommonJS because the package
// is "type": "module". The hardfork must match contracts/compile.ts (evmVersion).
/** @type {import('hardhat/config').HardhatUserConfig} */
module.exports = {
  networks: {
    hardhat: {
      hardfork: 'cancun',
      chainId: 31337,
      // Hardhat's well-known development mnemonic: deterministic, public, worthless keys.
      accounts: {
        mnemonic: 'test test test test test test test test test test test junk',
        count: 20,
        accountsBalance: '10000000000000000000000',
      },
      // Real-chain behaviour: transactions above the block gas limit or contract size fail.
      allowUnlimitedContractSize: false,
      loggingEnabled: false,
      // The persistent local chain of `npm start` replays its log on a chain whose genesis has the
      // original timestamp (union/local/persistent-chain.ts).
      ...(process.env.CROWDSELL_CHAIN_GENESIS_DATE
        ? { initialDate: process.env.CROWDSELL_CHAIN_GENESIS_DATE }
        : {}),
    },
  },
  paths: {
    // Never used (no Hardhat compilation); kept out of the source tree.
    sources: './contracts',
    cache: './node_modules/.cache/hardhat',
    artifacts: './node_modules/.cache/hardhat/artifacts',
  },
};
