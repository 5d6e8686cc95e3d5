/** Boundary validation with the shared zod schemas (STYLE rule 5). */
import type { z } from 'zod';

import { CrowdsellError } from '../../extension/protocol/errors.ts';

/** Validates input against a schema, turning the first issue into a BAD_REQUEST sentence. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new CrowdsellError(
    'BAD_REQUEST',
    `The ${what} is malformed${where}: ${issue?.message ?? 'invalid'}.`,
  );
}
