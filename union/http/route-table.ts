/**
 * The API's routes by path pattern, so an unknown method on a known path answers 405 with an
 * `Allow` header instead of 404. Catch-all patterns (the console's `/*`, the CORS `*`) are left
 * out: they would make every path "known".
 */
export class RouteTable {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];
  private readonly byUrl = new Map<string, Set<string>>();

  add(methods: string | readonly string[], url: string): void {
    if (url === '*' || url === '/*') return;
    let known = this.byUrl.get(url);
    if (!known) {
      known = new Set();
      this.byUrl.set(url, known);
      this.routes.push({ pattern: patternOf(url), methods: known });
    }
    for (const m of typeof methods === 'string' ? [methods] : methods) known.add(m.toUpperCase());
  }

  /** Methods some route accepts for this concrete path (query string ignored), sorted. */
  allowed(path: string): string[] {
    const bare = path.split('?')[0] ?? path;
    const methods = new Set<string>();
    for (const r of this.routes)
      if (r.pattern.test(bare)) for (const m of r.methods) methods.add(m);
    return [...methods].sort();
  }
}

function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) =>
      part.startsWith(':')
        ? '[^/]+'
        : part === '*'
          ? '.*'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}
