/** Small converters shared by the repositories (driver-neutral row values). */
export const toDate = (value: unknown): Date =>
  value instanceof Date ? value : new Date(String(value));

export const toDateOrNull = (value: unknown): Date | null =>
  value === null || value === undefined ? null : toDate(value);

export const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);
