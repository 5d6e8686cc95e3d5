// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/**
 * @title Crowdsell Marketplace
 * @notice Time-based subscriptions to data products. A buyer pays `pricePerSecond × seconds` in
 * the product's token, straight to the product's beneficiary (for the union's product: the
 * DataUnion contract), and their subscription is extended by that many seconds.
 * Anyone lists a product they own with `createProduct`. Listers the marketplace's owner trusts
 * (a `DataUnionFactory`) list one on behalf of its owner with `createProductFor`, so a union
 * created by its admin is owned by that admin, not by the factory. A product's owner may publish
 * a metadata URL (for a union's product: the union server's base URL), which is only emitted.
 * @dev Supports standard ERC-20 tokens; a fee-on-transfer token would pay the beneficiary less.
 */
contract Marketplace is Ownable2Step, ReentrancyGuardTransient {
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

    /// @notice Contracts the owner trusts to create products on behalf of another owner.
    mapping(address lister => bool trusted) public isLister;

    /// @notice A product was created by `owner`.
    event ProductCreated(
        bytes32 indexed productId,
        address indexed owner,
        address beneficiary,
        address token,
        uint256 pricePerSecond,
        string name
    );
    /// @notice The product's metadata URL: for a union's product, the union server's base URL
    /// (e.g. `https://union.example`), under which its public API answers. Emitted when a lister
    /// creates a product with one and whenever the owner sets it; the latest event is current.
    event ProductMetadataSet(bytes32 indexed productId, string metadataUrl);
    /// @notice The owner trusted or distrusted `lister`.
    event ListerSet(address indexed lister, bool trusted);
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
    error NotLister(address caller);

    modifier onlyProductOwner(bytes32 productId) {
        address productOwner = _products[productId].owner;
        if (productOwner == address(0)) revert ProductNotFound(productId);
        if (productOwner != msg.sender) revert NotProductOwner(productId, msg.sender);
        _;
    }

    /// @notice The deployer owns the marketplace: it only decides which listers are trusted.
    constructor() Ownable(msg.sender) {}

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
        _createProduct(msg.sender, productId, name, beneficiary, token, pricePerSecond);
    }

    /**
     * @notice Creates an active product owned by `productOwner`, with a metadata URL; trusted listers
     * only (the `DataUnionFactory` lists each new union's product for the union's admin).
     * @param productOwner Who may update, deactivate and reactivate the product.
     * @param productId The product's id.
     * @param name A human-readable name.
     * @param beneficiary Who receives every payment.
     * @param token The payment token.
     * @param pricePerSecond Price of one second of subscription, in token base units (< 2^96).
     * @param metadataUrl See `ProductMetadataSet`; emitted, not stored.
     */
    function createProductFor(
        address productOwner,
        bytes32 productId,
        string calldata name,
        address beneficiary,
        IERC20 token,
        uint256 pricePerSecond,
        string calldata metadataUrl
    ) external {
        if (!isLister[msg.sender]) revert NotLister(msg.sender);
        if (productOwner == address(0)) revert ZeroAddress();
        _createProduct(productOwner, productId, name, beneficiary, token, pricePerSecond);
        emit ProductMetadataSet(productId, metadataUrl);
    }

    /**
     * @notice Trusts or distrusts a lister (a factory contract) to create products for others.
     * @param lister The contract.
     * @param trusted Whether `createProductFor` accepts it.
     */
    function setLister(address lister, bool trusted) external onlyOwner {
        if (lister == address(0)) revert ZeroAddress();
        isLister[lister] = trusted;
        emit ListerSet(lister, trusted);
    }

    /**
     * @notice Publishes the product's metadata URL (for a union: when its server moves).
     * @param productId A product the caller owns.
     * @param metadataUrl See `ProductMetadataSet`; emitted, not stored.
     */
    function setProductMetadata(
        bytes32 productId,
        string calldata metadataUrl
    ) external onlyProductOwner(productId) {
        emit ProductMetadataSet(productId, metadataUrl);
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

    function _createProduct(
        address productOwner,
        bytes32 productId,
        string calldata name,
        address beneficiary,
        IERC20 token,
        uint256 pricePerSecond
    ) private {
        if (_products[productId].owner != address(0)) revert ProductExists(productId);
        if (beneficiary == address(0) || address(token) == address(0)) revert ZeroAddress();
        _products[productId] = Product({
            token: token,
            active: true,
            beneficiary: beneficiary,
            pricePerSecond: SafeCast.toUint96(pricePerSecond),
            owner: productOwner,
            name: name
        });
        emit ProductCreated(productId, productOwner, beneficiary, address(token), pricePerSecond, name);
    }
}
