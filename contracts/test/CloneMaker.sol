// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

/**
 * @notice Test only: makes a clone WITHOUT initialising it, as anyone could outside the factory,
 * so tests can check what `DataUnion.initialize` accepts and that it runs once.
 */
contract CloneMaker {
    event Cloned(address instance);

    function clone(address implementation, bytes calldata args) external returns (address instance) {
        instance = Clones.cloneWithImmutableArgs(implementation, args);
        emit Cloned(instance);
    }
}
