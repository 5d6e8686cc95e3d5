// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title Crowdsell test token
 * @notice An 18-decimal ERC-20 with an open faucet, for local chains and tests only.
 */
contract TestToken is ERC20 {
    constructor() ERC20("Crowdsell Test Token", "CST") {}

    /**
     * @notice Mints `amount` to `to`. Anyone may call it: this token has no value.
     * @param to The receiver.
     * @param amount Base units to mint.
     */
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
