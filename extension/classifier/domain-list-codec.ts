/**
 * The shipped domain list's compact text form (extension/classifier/domain-list.json, built by
 * `scripts/build-domain-list.ts`). Host names carry most of the list's weight, so the form keeps
 * them as plain text that gzip compresses well and drops what TypeScript literals repeat:
 *
 *   <category id> <suffix>:<label>,<label> <suffix>:<label>;<category id> …
 *
 * A host is its first label and the rest (its suffix): `amazon.co.uk` is `amazon` under
 * `co.uk`, `maps.google.com` is `maps` under `google.com`. Categories are in id order, suffixes and
 * labels sorted, so equal suffixes sit together and the same list always gives the same text.
 * Host names hold only [a-z0-9-] and dots, so the separators never occur inside one.
 */

export interface CodedRule {
  readonly host: string;
  readonly categoryId: number;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function encodeDomainRules(rules: readonly CodedRule[]): string {
  const groups = new Map<number, Map<string, string[]>>();
  for (const { host, categoryId } of rules) {
    const dot = host.indexOf('.');
    const suffix = host.slice(dot + 1);
    let bySuffix = groups.get(categoryId);
    if (!bySuffix) groups.set(categoryId, (bySuffix = new Map<string, string[]>()));
    let labels = bySuffix.get(suffix);
    if (!labels) bySuffix.set(suffix, (labels = []));
    labels.push(host.slice(0, dot));
  }
  return [...groups]
    .sort(([a], [b]) => a - b)
    .map(([id, bySuffix]) =>
      [
        String(id),
        ...[...bySuffix.keys()]
          .sort(byText)
          .map((suffix) => `${suffix}:${bySuffix.get(suffix)!.sort(byText).join(',')}`),
      ].join(' '),
    )
    .join(';');
}

export function decodeDomainRules(text: string): CodedRule[] {
  const rules: CodedRule[] = [];
  if (text === '') return rules;
  for (const group of text.split(';')) {
    const [id, ...suffixes] = group.split(' ');
    const categoryId = Number(id);
    for (const entry of suffixes) {
      const colon = entry.indexOf(':');
      const suffix = entry.slice(0, colon);
      for (const label of entry.slice(colon + 1).split(',')) {
        rules.push({ host: `${label}.${suffix}`, categoryId });
      }
    }
  }
  return rules;
}
