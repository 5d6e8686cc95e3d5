// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/*
 * Interface (issue 20), for the console, the marketplace page and contracts/factory.ts:
 *
 *   struct UnionParams {
 *       IERC20 token; address operator; uint256 freezePeriod; uint256 adminFeeFraction;
 *       uint256 pricePerSecond; string name; string metadataUrl; bytes32 salt;
 *   }
 *   function createUnion(UnionParams calldata params) external returns (address union, bytes32 productId);
 *   event UnionCreated(address indexed union, bytes32 indexed productId, address indexed admin,
 *                      address operator, address token, uint256 freezePeriod, uint256 adminFeeFraction);
 *   function productIdOf(address union) external pure returns (bytes32); // keccak256(abi.encode("crowdsell", union))
 *   function template() / marketplace() external view returns (address);
 *
 * The caller becomes the union's admin and its product's owner. In the same transaction the
 * Marketplace emits ProductCreated(productId, owner = admin, beneficiary = union, token,
 * pricePerSecond, name) and ProductMetadataSet(productId, metadataUrl): the metadata URL is the
 * union server's base URL, and the latest ProductMetadataSet of a product is current (its owner
 * may move it with Marketplace.setProductMetadata). Errors from DataUnion.initialize
 * (AdminFeeTooHigh, FreezePeriodTooShort/TooLong, ZeroAddress) and from the Marketplace bubble up.
 */

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {DataUnion} from "./DataUnion.sol";
import {Marketplace} from "./Marketplace.sol";

/**
 * @title Crowdsell DataUnionFactory
 * @notice Creates a union in one transaction: an ERC-1167 minimal-proxy clone of the `DataUnion`
 * template (token and freeze period as the clone's immutable arguments), initialised with the
 * caller as admin, and its product listed on the `Marketplace` with the union as beneficiary and
 * the caller as owner. The Marketplace's owner must have made this factory a lister.
 * @dev Clones are not upgradeable: a new template means a new factory (docs/contracts.md). The
 * clone address is CREATE2 of `keccak256(abi.encode(caller, salt))`, so nobody can predict a
 * union's address (and squat its product id on the Marketplace) before its creator's transaction
 * is public.
 */
contract DataUnionFactory {
    /// @notice What the admin chooses for a new union.
    struct UnionParams {
        // The ERC-20 the union earns and pays out; also the product's payment token.
        IERC20 token;
        // Commits roots.
        address operator;
        // Seconds a committed root stays revocable; DataUnion.MIN_FREEZE_PERIOD..MAX_FREEZE_PERIOD.
        uint256 freezePeriod;
        // Admin share of revenue, 1e18 units, at most DataUnion.MAX_ADMIN_FEE_FRACTION.
        uint256 adminFeeFraction;
        // Product price in token base units per second of subscription (< 2^96).
        uint256 pricePerSecond;
        // The product's human-readable name.
        string name;
        // The union server's base URL (emitted by the Marketplace as ProductMetadataSet).
        string metadataUrl;
        // Any value; one caller cannot reuse a salt.
        bytes32 salt;
    }

    /// @notice The locked DataUnion every union is a clone of.
    DataUnion public immutable template;

    /// @notice Where every union's product is listed.
    Marketplace public immutable marketplace;

    /// @notice `admin` created `union`, whose product on the Marketplace is `productId`.
    event UnionCreated(
        address indexed union,
        bytes32 indexed productId,
        address indexed admin,
        address operator,
        address token,
        uint256 freezePeriod,
        uint256 adminFeeFraction
    );

    error ZeroAddress();

    /**
     * @param template_ A deployed DataUnion (its constructor locks it).
     * @param marketplace_ The Marketplace; its owner must then call `setLister(factory, true)`.
     */
    constructor(DataUnion template_, Marketplace marketplace_) {
        if (address(template_) == address(0) || address(marketplace_) == address(0)) revert ZeroAddress();
        template = template_;
        marketplace = marketplace_;
    }

    /**
     * @notice Creates a union with the caller as admin and lists its product for them.
     * @param params See `UnionParams`.
     * @return union The new DataUnion.
     * @return productId Its product on the Marketplace (`productIdOf(union)`).
     */
    function createUnion(UnionParams calldata params) external returns (address union, bytes32 productId) {
        // The argument is 32 bits: refuse rather than truncate (DataUnion.initialize checks the rest).
        // Reading the template's constant costs little: initialize's delegatecall then finds it warm.
        uint256 maxFreeze = template.MAX_FREEZE_PERIOD();
        if (params.freezePeriod > maxFreeze) revert DataUnion.FreezePeriodTooLong(params.freezePeriod, maxFreeze);
        union = Clones.cloneDeterministicWithImmutableArgs(
            address(template),
            abi.encodePacked(params.token, uint32(params.freezePeriod)),
            keccak256(abi.encode(msg.sender, params.salt))
        );
        DataUnion(union).initialize(msg.sender, params.operator, params.adminFeeFraction);
        productId = productIdOf(union);
        marketplace.createProductFor(
            msg.sender,
            productId,
            params.name,
            union,
            params.token,
            params.pricePerSecond,
            params.metadataUrl
        );
        emit UnionCreated(
            union,
            productId,
            msg.sender,
            params.operator,
            address(params.token),
            params.freezePeriod,
            params.adminFeeFraction
        );
    }

    /**
     * @notice The product id of a union made here.
     * @param union The union.
     * @return `keccak256(abi.encode("crowdsell", union))`.
     */
    function productIdOf(address union) public pure returns (bytes32) {
        return keccak256(abi.encode("crowdsell", union));
    }
}
