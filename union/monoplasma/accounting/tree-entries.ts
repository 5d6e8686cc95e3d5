/**
 * From an accounting snapshot to Merkle entries: one leaf per member who ever joined, plus the
 * admin's fees in the leaf of the fee beneficiary (added to their member total if the
 * beneficiary is also a member, because a tree may hold each address once).
 */
import type { AccountingSnapshot, MemberTotal } from './monoplasma-accounting.ts';

/**
 * Entries for `buildTree`. Keep `adminAddress` stable across commits: a leaf that vanishes or
 * shrinks between roots would make the admin's earlier fees unwithdrawable.
 */
export function treeEntries(snapshot: AccountingSnapshot, adminAddress: string): MemberTotal[] {
  const admin = adminAddress.toLowerCase();
  const entries: MemberTotal[] = [];
  let adminMerged = false;
  for (const member of snapshot.members) {
    if (member.address === admin) {
      entries.push({ address: admin, total: member.total + snapshot.adminTotal });
      adminMerged = true;
    } else {
      entries.push(member);
    }
  }
  if (!adminMerged) entries.push({ address: admin, total: snapshot.adminTotal });
  return entries;
}
