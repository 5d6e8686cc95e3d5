/**
 * The category config editor's model, kept apart from the UI: a draft (what the form edits),
 * turning it into the next `UnionConfig`, checking it with the shared rules, and a diff against
 * the live config for the preview before signing.
 */
import {
  aggregationFor,
  continueTask,
  type AggregationBlock,
  type AggregationChoice,
} from '../../extension/protocol/config-aggregation.ts';
import {
  checkConfigContent,
  unionConfigSchema,
  type UnionConfig,
} from '../../extension/protocol/config.ts';
import { defaultPrivacy, type PrivacyParams } from '../../extension/protocol/privacy.ts';
import { STORE_LIMITS, type PrivacyLimits } from '../../extension/protocol/privacy-budget.ts';
import { categoryById, type TaxonomyCategory } from '../../extension/protocol/taxonomy.ts';

export interface DraftCategory {
  id: number;
  key: string;
  label: string;
  description: string;
  /** One host name per line. */
  domains: string;
}

export interface Draft {
  epochSeconds: number;
  privacy: PrivacyParams;
  minExtensionVersion: string;
  categories: DraftCategory[];
  /**
   * The live config's DAP task, kept as is (the editor does not change it); its VDAF, time
   * precision and minimum batch size are derived again from the edited config, so picking
   * categories or changing the epoch, k or a clip bound keeps the block consistent.
   */
  aggregation: AggregationChoice | null;
}

function choiceOf(block: AggregationBlock): AggregationChoice {
  const { vdaf: _vdaf, timePrecisionSeconds: _precision, minBatchSize: _min, ...choice } = block;
  return choice;
}

export function draftFrom(config: UnionConfig | null): Draft {
  if (!config) {
    return {
      epochSeconds: 86_400,
      privacy: { ...defaultPrivacy },
      minExtensionVersion: '0.1.0',
      categories: [],
      aggregation: null,
    };
  }
  return {
    epochSeconds: config.epochSeconds,
    privacy: { ...config.privacy },
    minExtensionVersion: config.minExtensionVersion,
    categories: config.categories.map((c) => ({ ...c, domains: c.domains.join('\n') })),
    aggregation: config.aggregation ? choiceOf(config.aggregation) : null,
  };
}

export function draftCategory(category: TaxonomyCategory): DraftCategory {
  return {
    id: category.id,
    key: category.key,
    label: category.label,
    description: category.description,
    domains: '',
  };
}

export function parseDomains(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/[\s,]+/)) {
    const host = line.trim().toLowerCase().replace(/\.$/, '');
    if (host) seen.add(host);
  }
  return [...seen];
}

/** The config the draft describes, as the next version after `live`. */
export function buildConfig(draft: Draft, live: UnionConfig | null, nowMs: number): UnionConfig {
  const config: UnionConfig = {
    version: (live?.version ?? 0) + 1,
    issuedAt: Math.floor(nowMs / 1000),
    epochSeconds: draft.epochSeconds,
    categories: [...draft.categories]
      .sort((a, b) => a.id - b.id)
      .map((c) => ({
        id: c.id,
        key: c.key,
        label: c.label.trim(),
        description: c.description.trim(),
        domains: parseDomains(c.domains),
      })),
    privacy: { ...draft.privacy },
    minExtensionVersion: draft.minExtensionVersion.trim(),
  };
  // With no category there is no task to derive; the missing category is reported as a problem.
  if (!draft.aggregation || config.categories.length === 0) return config;
  // A DAP task is immutable: new parameters under the live task id become a new task.
  return {
    ...config,
    aggregation: continueTask(live?.aggregation, aggregationFor(config, draft.aggregation)),
  };
}

/** The aggregation block's fields as the diff names them. */
function aggregationFields(block: AggregationBlock | undefined): Record<string, string> {
  if (!block) return { 'private aggregation': 'off' };
  const v = block.vdaf;
  return {
    'aggregation: task id': block.taskId,
    'aggregation: leader URL': block.leaderUrl,
    'aggregation: helper URL': block.helperUrl,
    'aggregation: helper HPKE config': block.helperHpkeConfig,
    'aggregation: leader HPKE config': block.leaderHpkeConfig ?? 'fetched from the leader',
    'aggregation: VDAF': `${v.type} length ${v.length}, bits ${v.bits}, chunk length ${v.chunkLength}`,
    'aggregation: central ε per epoch': String(block.centralEpsilon),
  };
}

/** Problems with a config, as sentences (empty when the extension and the union will accept it). */
export function configProblems(
  config: UnionConfig,
  limits: PrivacyLimits = STORE_LIMITS,
): string[] {
  const parsed = unionConfigSchema.safeParse(config);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const where = describePath(config, issue.path);
        return `${where ? `${where}: ` : ''}${issue.message}`;
      });
  if (config.categories.length === 0) problems.push('Pick at least one category.');
  try {
    checkConfigContent(config, limits);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  return problems;
}

function describePath(config: UnionConfig, path: readonly PropertyKey[]): string {
  if (path[0] === 'categories' && typeof path[1] === 'number') {
    const category = config.categories[path[1]];
    return `${category?.label ?? 'category'} ${path.slice(2).map(String).join('.')}`.trim();
  }
  return path.map(String).join('.');
}

export interface Change {
  kind: 'added' | 'removed' | 'changed';
  what: string;
  before?: string;
  after?: string;
}

const privacyNames: Record<keyof PrivacyParams, string> = {
  epsilon: 'ε (privacy budget per epoch)',
  maxVisits: 'visits clip bound',
  maxActiveSeconds: 'active seconds clip bound',
  kThreshold: 'k (minimum contributors)',
};

/** What publishing `next` would change compared with `live` (null: the first config). */
export function diffConfigs(live: UnionConfig | null, next: UnionConfig): Change[] {
  if (!live) {
    return [{ kind: 'added', what: 'first config', after: `${next.categories.length} categories` }];
  }
  const changes: Change[] = [];
  const field = (what: string, before: unknown, after: unknown) => {
    if (before !== after)
      changes.push({ kind: 'changed', what, before: String(before), after: String(after) });
  };
  field('epoch length (seconds)', live.epochSeconds, next.epochSeconds);
  for (const key of Object.keys(privacyNames) as (keyof PrivacyParams)[]) {
    field(privacyNames[key], live.privacy[key], next.privacy[key]);
  }
  field('minimum extension version', live.minExtensionVersion, next.minExtensionVersion);
  const [liveTask, nextTask] = [
    aggregationFields(live.aggregation),
    aggregationFields(next.aggregation),
  ];
  for (const what of new Set([...Object.keys(liveTask), ...Object.keys(nextTask)])) {
    field(what, liveTask[what] ?? 'off', nextTask[what] ?? 'off');
  }
  const before = new Map(live.categories.map((c) => [c.id, c]));
  const after = new Map(next.categories.map((c) => [c.id, c]));
  for (const [id, c] of after) {
    const old = before.get(id);
    if (!old) {
      changes.push({
        kind: 'added',
        what: `category ${c.label}`,
        after: `${c.domains.length} domains`,
      });
      continue;
    }
    field(`${c.label}: label`, old.label, c.label);
    field(`${c.label}: description`, old.description, c.description);
    const added = c.domains.filter((d) => !old.domains.includes(d));
    const removed = old.domains.filter((d) => !c.domains.includes(d));
    if (added.length)
      changes.push({ kind: 'added', what: `${c.label}: domains`, after: added.join(', ') });
    if (removed.length)
      changes.push({ kind: 'removed', what: `${c.label}: domains`, before: removed.join(', ') });
  }
  for (const [id, c] of before) {
    if (!after.has(id)) changes.push({ kind: 'removed', what: `category ${c.label}` });
  }
  return changes;
}

/** Taxonomy categories an admin may pick (the sensitive ones are never categories). */
export function pickable(all: readonly TaxonomyCategory[]): TaxonomyCategory[] {
  return all.filter((c) => categoryById(c.id) !== undefined);
}
