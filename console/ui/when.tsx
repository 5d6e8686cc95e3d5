/** A time in the viewer's zone, with the UTC time on hover. */
import { formatLocalTime, formatUtcTime } from './time.ts';

export function When({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span class="muted">—</span>;
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return (
    <time dateTime={iso} title={formatUtcTime(seconds)}>
      {formatLocalTime(seconds)}
    </time>
  );
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
