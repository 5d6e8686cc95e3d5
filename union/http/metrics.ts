/**
 * A tiny Prometheus text-format registry (counters with labels), enough for the union's own
 * figures without another dependency. Gauges that live in the database (members by status) are
 * read at scrape time and passed to `render`.
 */
type Labels = Record<string, string>;

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, number>;
}

const escape = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function labelKey(labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escape(labels[k]!)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

export class Metrics {
  private readonly families = new Map<string, Family>();

  constructor() {
    this.define('crowdsell_http_requests_total', 'counter', 'HTTP requests by route and status.');
    this.define(
      'crowdsell_reports_accepted_total',
      'counter',
      'Reports stored for the first time.',
    );
    this.define(
      'crowdsell_reports_duplicate_total',
      'counter',
      'Reports re-sent with the same content (answered 200).',
    );
    this.define(
      'crowdsell_reports_rejected_total',
      'counter',
      'Reports refused, by reason (error code).',
    );
    this.define(
      'crowdsell_report_commits_total',
      'counter',
      'Group commits of reports to the database.',
    );
    this.define('crowdsell_joins_total', 'counter', 'Join requests answered, by resulting status.');
    this.define('crowdsell_members', 'gauge', 'Members by status.');
  }

  define(name: string, type: Family['type'], help: string): void {
    if (!this.families.has(name)) this.families.set(name, { help, type, values: new Map() });
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const family = this.families.get(name);
    if (!family) throw new Error(`unknown metric ${name}`);
    const key = labelKey(labels);
    family.values.set(key, (family.values.get(key) ?? 0) + by);
  }

  set(name: string, labels: Labels, value: number): void {
    const family = this.families.get(name);
    if (!family) throw new Error(`unknown metric ${name}`);
    family.values.set(labelKey(labels), value);
  }

  value(name: string, labels: Labels = {}): number {
    return this.families.get(name)?.values.get(labelKey(labels)) ?? 0;
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, family] of this.families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      for (const [key, value] of family.values) lines.push(`${name}${key} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
