// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/**
 * @title Crowdsell Marketplace
 * @notice Time-based subscriptions to data products. A buyer pays `pricePerSecond × seconds` in
 * the product's token, straight to the product's beneficiary (for the union's product: the
 * DataUnion contract), and their subscription is extended by that many seconds.
 * @dev Supports standard ERC-20 tokens; a fee-on-transfer token would pay the beneficiary less.
 */
contract Marketplace is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev Packed so `buy` reads two slots: (token, active) and (beneficiary, pricePerSecond).
    struct Product {
        IERC20 token;
        bool active;
        address beneficiary;
        uint96 pricePerSecond;
        address owner;
        string name;
    }

    mapping(bytes32 productId => Product) private _products;
    mapping(bytes32 productId => mapping(address buyer => uint256 endsAt)) private _subscriptionEnds;

    /// @notice A product was created by `owner`.
    event ProductCreated(
        bytes32 indexed productId,
        address indexed owner,
        address beneficiary,
        address token,
        uint256 pricePerSecond,
        string name
    );
    /// @notice The product's owner changed its beneficiary or price.
    event ProductUpdated(bytes32 indexed productId, address beneficiary, uint256 pricePerSecond);
    /// @notice The product stopped selling.
    event ProductDeactivated(bytes32 indexed productId);
    /// @notice The product sells again.
    event ProductReactivated(bytes32 indexed productId);
    /// @notice `buyer` paid `paid` for `durationSeconds` more; their subscription now ends at `endsAt`.
    event Subscribed(
        bytes32 indexed productId,
        address indexed buyer,
        uint256 durationSeconds,
        uint256 paid,
        uint256 endsAt
    );

    error ProductExists(bytes32 productId);
    error ProductNotFound(bytes32 productId);
    error ProductInactive(bytes32 productId);
    error NotProductOwner(bytes32 productId, address caller);
    error ZeroAddress();
    error ZeroDuration();
    error PriceAboveMaximum(uint256 price, uint256 maxPrice);

    modifier onlyProductOwner(bytes32 productId) {
        address owner = _products[productId].owner;
        if (owner == address(0)) revert ProductNotFound(productId);
        if (owner != msg.sender) revert NotProductOwner(productId, msg.sender);
        _;
    }

    /**
     * @notice Creates an active product owned by the caller.
     * @dev Ids are first come, first served: after creating, check the `ProductCreated` owner
     * (contracts/deploy.ts does); buyers should check the beneficiary before paying.
     * @param productId The product's id.
     * @param name A human-readable name.
     * @param beneficiary Who receives every payment.
     * @param token The payment token.
     * @param pricePerSecond Price of one second of subscription, in token base units (< 2^96).
     */
    function createProduct(
        bytes32 productId,
        string calldata name,
        address beneficiary,
        IERC20 token,
        uint256 pricePerSecond
    ) external {
        if (_products[productId].owner != address(0)) revert ProductExists(productId);
        if (beneficiary == address(0) || address(token) == address(0)) revert ZeroAddress();
        _products[productId] = Product({
            token: token,
            active: true,
            beneficiary: beneficiary,
            pricePerSecond: SafeCast.toUint96(pricePerSecond),
            owner: msg.sender,
            name: name
        });
        emit ProductCreated(productId, msg.sender, beneficiary, address(token), pricePerSecond, name);
    }

    /**
     * @notice Buys `durationSeconds` of subscription, extending any running one.
     * @dev Pulls the price from the caller (approve it first) to the beneficiary. The price is read
     * at execution, so `maxPrice` caps it: a price raised while the purchase waits to be mined
     * (or by an owner front-running it) makes it revert instead of charging more.
     * @param productId The product.
     * @param durationSeconds How many seconds to add; not zero.
     * @param maxPrice The most the caller agrees to pay for the whole purchase (the price shown
     * to them: `durationSeconds × pricePerSecond` when they looked).
     */
    function buy(bytes32 productId, uint256 durationSeconds, uint256 maxPrice) external nonReentrant {
        if (durationSeconds == 0) revert ZeroDuration();
        Product storage product = _products[productId];
        IERC20 token = product.token; // every product has a token: zero means no product
        if (address(token) == address(0)) revert ProductNotFound(productId);
        if (!product.active) revert ProductInactive(productId);

        uint256 price = durationSeconds * product.pricePerSecond;
        if (price > maxPrice) revert PriceAboveMaximum(price, maxPrice);
        uint256 current = _subscriptionEnds[productId][msg.sender];
        uint256 endsAt = (current > block.timestamp ? current : block.timestamp) + durationSeconds;
        _subscriptionEnds[productId][msg.sender] = endsAt;
        token.safeTransferFrom(msg.sender, product.beneficiary, price);
        emit Subscribed(productId, msg.sender, durationSeconds, price, endsAt);
    }

    /**
     * @notice Changes where payments go and the price of future purchases.
     * @param productId A product the caller owns.
     * @param beneficiary The new beneficiary.
     * @param pricePerSecond The new price per second.
     */
    function updateProduct(
        bytes32 productId,
        address beneficiary,
        uint256 pricePerSecond
    ) external onlyProductOwner(productId) {
        if (beneficiary == address(0)) revert ZeroAddress();
        Product storage product = _products[productId];
        product.beneficiary = beneficiary;
        product.pricePerSecond = SafeCast.toUint96(pricePerSecond);
        emit ProductUpdated(productId, beneficiary, pricePerSecond);
    }

    /**
     * @notice Stops sales; running subscriptions keep their end time.
     * @param productId A product the caller owns.
     */
    function deactivateProduct(bytes32 productId) external onlyProductOwner(productId) {
        _products[productId].active = false;
        emit ProductDeactivated(productId);
    }

    /**
     * @notice Resumes sales.
     * @param productId A product the caller owns.
     */
    function reactivateProduct(bytes32 productId) external onlyProductOwner(productId) {
        _products[productId].active = true;
        emit ProductReactivated(productId);
    }

    /**
     * @notice The product's settings.
     * @param productId The product.
     * @return The product; `owner` is zero if it does not exist.
     */
    function getProduct(bytes32 productId) external view returns (Product memory) {
        return _products[productId];
    }

    /**
     * @notice When `buyer`'s subscription to the product ends.
     * @param productId The product.
     * @param buyer The subscriber.
     * @return Unix time of the end; 0 if they never subscribed. Past values mean expired.
     */
    function subscriptionEnd(bytes32 productId, address buyer) external view returns (uint256) {
        return _subscriptionEnds[productId][buyer];
    }
}
