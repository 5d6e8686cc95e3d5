-- Issue 16 (accounting in chain order): the books consume the membership log in order, each
-- join, leave and removal at its logged time. This is the seq of the last membership log entry
-- in the books, written with the accounting state in the same transaction. NULL: books started
-- before this rule; the revenue watcher then takes the log head as the position and brings the
-- books in line with the members table once (docs/monoplasma.md §1, "Order").
ALTER TABLE monoplasma_state ADD COLUMN membership_seq bigint;
