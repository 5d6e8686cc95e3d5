/** The `settings` key/value table (JSON values). */
import type { Queryable } from '../db/db.ts';

export interface Settings {
  autoJoin: boolean;
}

export const settingsRepo = {
  async get(q: Queryable): Promise<Settings> {
    const { rows } = await q.query<{ key: string; value: unknown }>(
      'SELECT key, value FROM settings',
    );
    const map = new Map(rows.map((r) => [r.key, r.value]));
    return { autoJoin: map.get('autoJoin') !== false };
  },

  async set(q: Queryable, key: keyof Settings, value: Settings[keyof Settings]): Promise<void> {
    await q.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    );
  },
};
