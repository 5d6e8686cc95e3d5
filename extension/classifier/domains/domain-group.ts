import type { CategoryKey } from '../category-ids.ts';

/**
 * A slice of the shipped domain list: category key → lowercase registrable domains (or, in
 * host-rules.ts only, host names below one). Keys are checked by the compiler; domains by
 * domain-list.test.ts.
 */
export type DomainGroup = Partial<Record<CategoryKey, readonly string[]>>;
