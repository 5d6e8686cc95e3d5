// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/**
 * @title Malicious token for reentrancy tests
 * @notice When armed, the next transfer out of `target` calls `target` again with `data` before
 * completing, and bubbles up any revert. Tests only.
 */
contract ReentrantToken is ERC20 {
    address private _target;
    bytes private _data;

    constructor() ERC20("Reentrant Token", "REENTER") {}

    /**
     * @notice Mints `amount` to `to`.
     * @param to The receiver.
     * @param amount Base units to mint.
     */
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /**
     * @notice Arms the attack: the next transfer from `target` re-enters it with `data`.
     * @param target The contract to attack.
     * @param data The calldata of the re-entrant call.
     */
    function arm(address target, bytes calldata data) external {
        _target = target;
        _data = data;
    }

    function _update(address from, address to, uint256 value) internal override {
        address target = _target;
        if (target != address(0) && from == target) {
            _target = address(0);
            Address.functionCall(target, _data);
        }
        super._update(from, to, value);
    }
}
