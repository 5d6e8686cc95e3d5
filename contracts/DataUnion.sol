// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/**
 * @title Crowdsell DataUnion
 * @notice Monoplasma-style revenue sharing. The union operator computes every member's cumulative
 * earnings off-chain and commits the Merkle root of them here. After a freeze period, during which
 * the admin can revoke a fraudulent root, each member withdraws `totalEarnings - withdrawn[member]`
 * with a proof: to their own address, to any address they name, or gaslessly through an EIP-712
 * `WithdrawAll` request that anyone may relay.
 * @dev Leaves are OpenZeppelin `StandardMerkleTree` leaves of `[address member, uint256 totalEarnings]`.
 * Storage is laid out for gas: a commit writes one fresh slot (the root) and one warm packed slot;
 * the commit time of a root is kept only while it matters (see `_usableAt`). docs/contracts.md
 * explains the roles, the life of a root and the threat model.
 *
 * Every union is an ERC-1167 minimal-proxy clone of one deployed template, made and initialised
 * in one transaction by `DataUnionFactory`. The token and the freeze period are the clone's
 * immutable arguments (appended to its code: `abi.encodePacked(address token, uint32
 * freezePeriod)`, read with one EXTCODECOPY instead of a storage read); the admin, operator and
 * fee are set by `initialize`. The template itself is locked: its initialiser is disabled, it has
 * no owner and no operator, and every function that needs the token or the freeze period reverts
 * with `TemplateLocked` on it. Clones are not upgradeable (docs/contracts.md).
 */
contract DataUnion is Ownable2Step, Initializable, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice A member's gasless withdrawal request (DESIGN §3). `withdrawnBefore` is the nonce;
    /// `minAmount` is the least the member agreed to be paid (the payout they were shown), so the
    /// signature cannot be spent on an older root that pays less.
    struct WithdrawAll {
        address member;
        address recipient;
        uint256 withdrawnBefore;
        uint256 minAmount;
        uint256 deadline;
    }

    /// @dev Everything the hot paths touch, packed into one slot (248 bits).
    struct State {
        // Highest block number ever committed (revoked or not); commits must exceed it.
        uint40 latestBlock;
        // block.timestamp of the commit of `latestBlock`.
        uint40 latestCommittedAt;
        // 0, or the oldest block that was superseded while still frozen: from it up to
        // `latestBlock` (exclusive) the commit times are kept in `_supersededCommittedAt`.
        uint40 oldestFrozenSuperseded;
        uint128 totalWithdrawn;
    }

    bytes32 private constant WITHDRAW_ALL_TYPEHASH =
        keccak256(
            "WithdrawAll(address member,address recipient,uint256 withdrawnBefore,uint256 minAmount,uint256 deadline)"
        );

    /// @dev Marks a revoked root. `commit` refuses it as a root; a Merkle root equal to 1 would
    /// need a keccak256 preimage of 1, which is infeasible.
    bytes32 private constant REVOKED = bytes32(uint256(1));

    /// @notice Upper bound of the admin fee: 50 %, in 1e18 units.
    uint256 public constant MAX_ADMIN_FEE_FRACTION = 0.5e18;

    /// @notice Lower bound of the freeze period: with none, a root is usable in the block that
    /// commits it and can never be revoked. A minute only suits local and test chains; production
    /// unions want hours to a day (docs/contracts.md).
    uint256 public constant MIN_FREEZE_PERIOD = 60 seconds;

    /// @notice Upper bound of the freeze period; guards against passing milliseconds for seconds.
    uint256 public constant MAX_FREEZE_PERIOD = 30 days;

    /// @dev Length of the ERC-1167 runtime code that precedes a clone's immutable arguments.
    uint256 private constant CLONE_CODE_LENGTH = 45;

    /// @dev The template's own address: a call that runs on it rather than on a clone is refused.
    address private immutable _template;

    /// @notice The account allowed to commit roots.
    address public operator;

    /// @notice The admin's share of revenue, in 1e18 units; applied by the operator off-chain.
    uint256 public adminFeeFraction;

    /// @notice Cumulative earnings already paid out per member.
    mapping(address member => uint256 amount) public withdrawn;

    State private _state;
    mapping(uint256 blockNumber => bytes32 root) private _roots;
    mapping(uint256 blockNumber => uint256 timestamp) private _supersededCommittedAt;

    /// @notice A root of cumulative earnings at `blockNumber` was committed.
    event RootCommitted(uint256 indexed blockNumber, bytes32 root, string stateUri);
    /// @notice The admin revoked the root committed for `blockNumber` during its freeze period.
    event RootRevoked(uint256 indexed blockNumber, bytes32 root);
    /// @notice `amount` of `member`'s earnings was paid to `recipient`.
    event Withdrawn(address indexed member, address indexed recipient, uint256 amount);
    /// @notice The operator changed.
    event OperatorChanged(address indexed previousOperator, address indexed newOperator);
    /// @notice The admin fee changed (1e18 units).
    event AdminFeeChanged(uint256 previousFraction, uint256 newFraction);

    error NotOperator(address caller);
    error ZeroAddress();
    error AdminFeeTooHigh(uint256 fraction, uint256 max);
    error FreezePeriodTooShort(uint256 freezePeriod, uint256 min);
    error FreezePeriodTooLong(uint256 freezePeriod, uint256 max);
    error InvalidRoot();
    error BlockNotIncreasing(uint256 blockNumber, uint256 latestBlock);
    error BlockNotMined(uint256 blockNumber, uint256 currentBlock);
    error RootNotCommitted(uint256 blockNumber);
    error RootWasRevoked(uint256 blockNumber);
    error RootFrozen(uint256 blockNumber, uint256 usableAt);
    error RootAlreadyUsable(uint256 blockNumber, uint256 usableAt);
    error InvalidProof();
    error NothingToWithdraw(address member);
    error EarningsBelowWithdrawn(uint256 totalEarnings, uint256 alreadyWithdrawn);
    error InsufficientBalance(uint256 amount, uint256 balance);
    error SignatureExpired(uint256 deadline);
    error StaleWithdrawRequest(uint256 withdrawnBefore, uint256 alreadyWithdrawn);
    error PayoutBelowMinimum(uint256 payout, uint256 minAmount);
    error InvalidSignature(address signer, address member);
    error RenounceDisabled();
    error TemplateLocked();

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _;
    }

    /**
     * @notice Deploys the template. It is locked for good: its initialiser is disabled, it has no
     * owner (so no admin function passes) and no operator, and it holds no arguments.
     */
    constructor() Ownable(address(this)) EIP712("Crowdsell", "1") {
        _template = address(this);
        _transferOwnership(address(0));
        _disableInitializers();
    }

    /**
     * @notice Sets up a fresh clone; callable once, by whoever made the clone (`DataUnionFactory`
     * calls it in the transaction that creates the clone, so nobody can get in between).
     * @dev Also checks the clone's immutable arguments: a token, and a freeze period from
     * `MIN_FREEZE_PERIOD` to `MAX_FREEZE_PERIOD`.
     * @param admin The admin (owner): sets the operator and the fee, revokes roots.
     * @param operator_ The account that commits roots.
     * @param adminFeeFraction_ Admin share of revenue in 1e18 units, at most 50 %.
     */
    function initialize(address admin, address operator_, uint256 adminFeeFraction_) external initializer {
        (IERC20 token_, uint256 freezePeriod_) = _cloneArgs();
        if (address(token_) == address(0)) revert ZeroAddress();
        if (freezePeriod_ < MIN_FREEZE_PERIOD) revert FreezePeriodTooShort(freezePeriod_, MIN_FREEZE_PERIOD);
        if (freezePeriod_ > MAX_FREEZE_PERIOD) revert FreezePeriodTooLong(freezePeriod_, MAX_FREEZE_PERIOD);
        if (admin == address(0)) revert OwnableInvalidOwner(address(0));
        _transferOwnership(admin);
        _setOperator(operator_);
        _setAdminFee(adminFeeFraction_);
    }

    // ---------------------------------------------------------------- operator

    /**
     * @notice Commits the root of every member's cumulative earnings as of `blockNumber`.
     * @dev Block numbers strictly increase and must already be mined, so a broken operator cannot
     * lock out future commits by committing a far-future block. The state URI is only emitted.
     * @param blockNumber The block at which the earnings snapshot was taken.
     * @param root The `StandardMerkleTree` root of `[member, totalEarnings]` leaves.
     * @param stateUri Where the full snapshot is published (e.g. `…/v1/state/<block>`).
     */
    function commit(uint256 blockNumber, bytes32 root, string calldata stateUri) external onlyOperator {
        if (root == bytes32(0) || root == REVOKED) revert InvalidRoot();
        State memory s = _state;
        if (blockNumber <= s.latestBlock) revert BlockNotIncreasing(blockNumber, s.latestBlock);
        if (blockNumber >= block.number) revert BlockNotMined(blockNumber, block.number);

        if (s.latestBlock != 0 && block.timestamp < uint256(s.latestCommittedAt) + freezePeriod()) {
            // The previous root is still frozen: keep its commit time. Only happens when commits
            // come faster than the freeze period.
            _supersededCommittedAt[s.latestBlock] = s.latestCommittedAt;
            if (s.oldestFrozenSuperseded == 0) s.oldestFrozenSuperseded = s.latestBlock;
        } else {
            // The previous root is usable, hence every earlier one too (commit times increase).
            s.oldestFrozenSuperseded = 0;
        }
        s.latestBlock = SafeCast.toUint40(blockNumber);
        s.latestCommittedAt = uint40(block.timestamp);
        _state = s;
        _roots[blockNumber] = root;
        emit RootCommitted(blockNumber, root, stateUri);
    }

    // ---------------------------------------------------------------- withdrawals

    /**
     * @notice Pays `member` everything their proven cumulative earnings add over what they withdrew.
     * @dev Callable by anyone (Monoplasma's exit path: validators can push members out); it can only
     * ever pay the member's own address.
     * @param blockNumber A committed, usable (not frozen, not revoked) block.
     * @param member The member whose leaf is proven.
     * @param totalEarnings The member's cumulative earnings in that root.
     * @param proof The Merkle proof of the leaf `[member, totalEarnings]`.
     */
    function withdrawAll(
        uint256 blockNumber,
        address member,
        uint256 totalEarnings,
        bytes32[] calldata proof
    ) external nonReentrant {
        _withdrawAll(blockNumber, member, member, totalEarnings, withdrawn[member], 0, proof);
    }

    /**
     * @notice Pays the caller's withdrawable earnings to `recipient`.
     * @param blockNumber A committed, usable block.
     * @param recipient Where the tokens go.
     * @param totalEarnings The caller's cumulative earnings in that root.
     * @param proof The Merkle proof of the leaf `[msg.sender, totalEarnings]`.
     */
    function withdrawAllTo(
        uint256 blockNumber,
        address recipient,
        uint256 totalEarnings,
        bytes32[] calldata proof
    ) external nonReentrant {
        _withdrawAll(blockNumber, msg.sender, recipient, totalEarnings, withdrawn[msg.sender], 0, proof);
    }

    /**
     * @notice Pays a member's withdrawable earnings to the recipient they signed for; anyone may
     * submit it (the union relays it and pays the gas).
     * @dev The request is valid once: `withdrawnBefore` must equal `withdrawn(member)`, which grows
     * with every payout. It pays at least `minAmount`, whichever root the caller proves against, so
     * nobody holding the signature can spend it on an older, smaller root. The EIP-712 domain
     * binds it to this contract on this chain.
     * @param blockNumber A committed, usable block.
     * @param totalEarnings The member's cumulative earnings in that root.
     * @param proof The Merkle proof of the leaf `[request.member, totalEarnings]`.
     * @param request The signed `WithdrawAll` request.
     * @param signature The member's 65-byte signature over the request's EIP-712 digest.
     */
    function withdrawAllToSigned(
        uint256 blockNumber,
        uint256 totalEarnings,
        bytes32[] calldata proof,
        WithdrawAll calldata request,
        bytes calldata signature
    ) external nonReentrant {
        if (block.timestamp > request.deadline) revert SignatureExpired(request.deadline);
        address member = request.member;
        uint256 alreadyWithdrawn = withdrawn[member];
        if (request.withdrawnBefore != alreadyWithdrawn) {
            revert StaleWithdrawRequest(request.withdrawnBefore, alreadyWithdrawn);
        }
        bytes32 digest = _hashTypedDataV4(_withdrawAllHash(request));
        address signer = ECDSA.recoverCalldata(digest, signature);
        if (signer != member) revert InvalidSignature(signer, member);
        _withdrawAll(
            blockNumber,
            member,
            request.recipient,
            totalEarnings,
            alreadyWithdrawn,
            request.minAmount,
            proof
        );
    }

    // ---------------------------------------------------------------- admin

    /**
     * @notice Revokes a root during its freeze period, so it can never be used.
     * @dev The escape hatch against a fraudulent or broken operator. Later commits are unaffected
     * and must still use higher block numbers.
     * @param blockNumber The block of the frozen root.
     */
    function revoke(uint256 blockNumber) external onlyOwner {
        bytes32 root = _roots[blockNumber];
        if (root == bytes32(0)) revert RootNotCommitted(blockNumber);
        if (root == REVOKED) revert RootWasRevoked(blockNumber);
        uint256 usableAt = _usableAtNow(blockNumber);
        if (block.timestamp >= usableAt) revert RootAlreadyUsable(blockNumber, usableAt);
        _roots[blockNumber] = REVOKED;
        emit RootRevoked(blockNumber, root);
    }

    /**
     * @notice Replaces the operator.
     * @param newOperator The account that will commit roots from now on.
     */
    function setOperator(address newOperator) external onlyOwner {
        _setOperator(newOperator);
    }

    /**
     * @notice Sets the admin's share of future revenue.
     * @param newFraction The share in 1e18 units, at most `MAX_ADMIN_FEE_FRACTION`.
     */
    function setAdminFee(uint256 newFraction) external onlyOwner {
        _setAdminFee(newFraction);
    }

    /**
     * @notice Disabled: without an admin nobody could revoke a fraudulent root.
     */
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }

    // ---------------------------------------------------------------- views

    /**
     * @notice The root committed for `blockNumber` and when it becomes usable.
     * @param blockNumber A block number.
     * @return root The committed root; zero if none was committed or it was revoked.
     * @return usableAt Timestamp from which the root can be used; 0 for a root that was already
     * usable when a later one was committed (its commit time is in its `RootCommitted` event).
     * @return revoked Whether the admin revoked the root.
     */
    function commitOf(uint256 blockNumber) external view returns (bytes32 root, uint256 usableAt, bool revoked) {
        bytes32 stored = _roots[blockNumber];
        if (stored == bytes32(0)) return (bytes32(0), 0, false);
        usableAt = _usableAtNow(blockNumber);
        if (stored == REVOKED) return (bytes32(0), usableAt, true);
        return (stored, usableAt, false);
    }

    /**
     * @notice Whether withdrawals can use the root of `blockNumber` now.
     * @param blockNumber A block number.
     * @return True if committed, not revoked and out of its freeze period.
     */
    function isUsable(uint256 blockNumber) external view returns (bool) {
        bytes32 root = _roots[blockNumber];
        return
            root != bytes32(0) &&
            root != REVOKED &&
            block.timestamp >= _usableAtNow(blockNumber);
    }

    /**
     * @notice The ERC-20 token the union earns and pays out (the clone's immutable argument).
     * @return The token.
     */
    function token() public view returns (IERC20) {
        (IERC20 token_, ) = _cloneArgs();
        return token_;
    }

    /**
     * @notice Seconds between a commit and the moment its root can be used for withdrawals (the
     * clone's immutable argument).
     * @return The freeze period in seconds.
     */
    function freezePeriod() public view returns (uint256) {
        (, uint256 freezePeriod_) = _cloneArgs();
        return freezePeriod_;
    }

    /**
     * @notice The highest block number committed so far, revoked or not; 0 before the first commit.
     * @return The block number.
     */
    function latestCommittedBlock() external view returns (uint256) {
        return _state.latestBlock;
    }

    /**
     * @notice Everything paid out to members so far.
     * @return The amount in token base units.
     */
    function totalWithdrawn() external view returns (uint256) {
        return _state.totalWithdrawn;
    }

    /**
     * @notice Every token the union ever received: what it holds plus what it paid out. The
     * revenue watcher reconciles its event-sourced total against this.
     * @dev Counts direct transfers too; the union treats every transfer in as revenue.
     * @return The amount in token base units.
     */
    function totalRevenue() external view returns (uint256) {
        return token().balanceOf(address(this)) + _state.totalWithdrawn;
    }

    // ---------------------------------------------------------------- internals

    function _withdrawAll(
        uint256 blockNumber,
        address member,
        address recipient,
        uint256 totalEarnings,
        uint256 alreadyWithdrawn,
        uint256 minAmount,
        bytes32[] calldata proof
    ) private {
        if (recipient == address(0)) revert ZeroAddress();
        bytes32 root = _roots[blockNumber];
        if (root == bytes32(0)) revert RootNotCommitted(blockNumber);
        if (root == REVOKED) revert RootWasRevoked(blockNumber);
        // Fields read through a storage pointer stay on the stack (one SLOAD), rather than being
        // copied into a memory struct: ~200 gas less per payout.
        State storage state = _state;
        (IERC20 token_, uint256 freezePeriod_) = _cloneArgs();
        uint256 usableAt = _usableAt(
            blockNumber,
            state.latestBlock,
            state.latestCommittedAt,
            state.oldestFrozenSuperseded,
            freezePeriod_
        );
        if (block.timestamp < usableAt) revert RootFrozen(blockNumber, usableAt);

        // StandardMerkleTree leaf: keccak256(bytes.concat(keccak256(abi.encode(member, total)))),
        // hashed in scratch space rather than freshly allocated memory.
        bytes32 leaf = Hashes.efficientKeccak256(
            bytes32(uint256(uint160(member))),
            bytes32(totalEarnings)
        );
        assembly ("memory-safe") {
            mstore(0x00, leaf)
            leaf := keccak256(0x00, 0x20)
        }
        if (_processProof(proof, leaf) != root) revert InvalidProof();

        if (totalEarnings <= alreadyWithdrawn) {
            if (totalEarnings == alreadyWithdrawn) revert NothingToWithdraw(member);
            revert EarningsBelowWithdrawn(totalEarnings, alreadyWithdrawn);
        }
        uint256 amount = totalEarnings - alreadyWithdrawn;
        if (amount < minAmount) revert PayoutBelowMinimum(amount, minAmount);

        state.totalWithdrawn += SafeCast.toUint128(amount);
        withdrawn[member] = totalEarnings;
        if (!token_.trySafeTransfer(recipient, amount)) {
            // Bank-run guard (Monoplasma's error_missingBalance): proven-but-unpaid earnings never
            // exceed what the contract holds; a shortfall is named, not left to the token's
            // generic revert. Checked only once the transfer failed, which saves a balanceOf call
            // (~900 gas) on every payout; any other failure (e.g. a blocked recipient) is retried
            // so it reverts with the token's own reason.
            uint256 balance = token_.balanceOf(address(this));
            if (amount > balance) revert InsufficientBalance(amount, balance);
            token_.safeTransfer(recipient, amount);
        }
        emit Withdrawn(member, recipient, amount);
    }

    /// @dev EIP-712 `hashStruct` of a request: `keccak256(abi.encode(WITHDRAW_ALL_TYPEHASH, request))`,
    /// copying the five static words straight from calldata. Fields with dirty high bits would
    /// hash differently from what the member signed, so they fail the signature check.
    function _withdrawAllHash(WithdrawAll calldata request) private pure returns (bytes32 hash) {
        bytes32 typehash = WITHDRAW_ALL_TYPEHASH;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typehash)
            calldatacopy(add(ptr, 0x20), request, 0xa0)
            hash := keccak256(ptr, 0xc0)
        }
    }

    /// @dev The root `proof` leads to from `leaf`, hashing each pair sorted (OpenZeppelin's
    /// `MerkleProof.processProofCalldata`, as `StandardMerkleTree` builds trees) in scratch space:
    /// the smaller of the two goes first. Same result as the library; with four levels per turn of
    /// the main loop it costs ~1,000 gas less at depth 20, which keeps a clone's first signed
    /// withdrawal within its target (docs/contracts.md).
    function _processProof(bytes32[] calldata proof, bytes32 leaf) private pure returns (bytes32 computed) {
        assembly ("memory-safe") {
            computed := leaf
            let sibling
            let swap
            let p := proof.offset
            // The first `length % 4` levels one at a time, then four per turn.
            let end := add(p, shl(5, and(proof.length, 3)))
            for {} lt(p, end) { p := add(p, 0x20) } {
                sibling := calldataload(p)
                swap := gt(computed, sibling)
                mstore(shl(5, swap), computed)
                mstore(shl(5, iszero(swap)), sibling)
                computed := keccak256(0x00, 0x40)
            }
            end := add(proof.offset, shl(5, proof.length))
            for {} lt(p, end) { p := add(p, 0x80) } {
                sibling := calldataload(p)
                swap := gt(computed, sibling)
                mstore(shl(5, swap), computed)
                mstore(shl(5, iszero(swap)), sibling)
                computed := keccak256(0x00, 0x40)
                sibling := calldataload(add(p, 0x20))
                swap := gt(computed, sibling)
                mstore(shl(5, swap), computed)
                mstore(shl(5, iszero(swap)), sibling)
                computed := keccak256(0x00, 0x40)
                sibling := calldataload(add(p, 0x40))
                swap := gt(computed, sibling)
                mstore(shl(5, swap), computed)
                mstore(shl(5, iszero(swap)), sibling)
                computed := keccak256(0x00, 0x40)
                sibling := calldataload(add(p, 0x60))
                swap := gt(computed, sibling)
                mstore(shl(5, swap), computed)
                mstore(shl(5, iszero(swap)), sibling)
                computed := keccak256(0x00, 0x40)
            }
        }
    }

    /// @dev When the root of `blockNumber` becomes usable, now. The caller has checked it was committed.
    function _usableAtNow(uint256 blockNumber) private view returns (uint256) {
        State memory s = _state;
        return _usableAt(blockNumber, s.latestBlock, s.latestCommittedAt, s.oldestFrozenSuperseded, freezePeriod());
    }

    /// @dev When the root of `blockNumber` becomes usable, given the `State` fields.
    function _usableAt(
        uint256 blockNumber,
        uint256 latestBlock,
        uint256 latestCommittedAt,
        uint256 oldestFrozenSuperseded,
        uint256 freezePeriod_
    ) private view returns (uint256) {
        if (blockNumber == latestBlock) return latestCommittedAt + freezePeriod_;
        if (oldestFrozenSuperseded != 0 && blockNumber >= oldestFrozenSuperseded) {
            return _supersededCommittedAt[blockNumber] + freezePeriod_;
        }
        return 0;
    }

    /// @dev The clone's immutable arguments, `abi.encodePacked(address token, uint32 freezePeriod)`
    /// after the ERC-1167 code, read in one EXTCODECOPY of the clone's own (warm) code into scratch
    /// space. Refused on the template, whose code holds no arguments.
    function _cloneArgs() private view returns (IERC20 token_, uint256 freezePeriod_) {
        if (address(this) == _template) revert TemplateLocked();
        assembly ("memory-safe") {
            extcodecopy(address(), 0x00, CLONE_CODE_LENGTH, 0x20)
            let word := mload(0x00)
            token_ := shr(96, word)
            freezePeriod_ := and(shr(64, word), 0xffffffff)
        }
    }

    function _setOperator(address newOperator) private {
        if (newOperator == address(0)) revert ZeroAddress();
        emit OperatorChanged(operator, newOperator);
        operator = newOperator;
    }

    function _setAdminFee(uint256 newFraction) private {
        if (newFraction > MAX_ADMIN_FEE_FRACTION) revert AdminFeeTooHigh(newFraction, MAX_ADMIN_FEE_FRACTION);
        emit AdminFeeChanged(adminFeeFraction, newFraction);
        adminFeeFraction = newFraction;
    }
}
