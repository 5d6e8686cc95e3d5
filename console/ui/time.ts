/** Times are shown in the viewer's time zone; the UTC time is available on hover (title). */
export function formatLocalTime(unixSeconds: number, locale?: string): string {
  return new Date(unixSeconds * 1000).toLocaleString(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

export function formatUtcTime(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** "in 3 min", "2 h ago" — coarse, for freeze countdowns and retry times. */
export function formatRelative(unixSeconds: number, nowSeconds: number): string {
  const delta = unixSeconds - nowSeconds;
  const abs = Math.abs(delta);
  const text =
    abs < 60
      ? `${abs} s`
      : abs < 3600
        ? `${Math.round(abs / 60)} min`
        : abs < 172_800
          ? `${Math.round(abs / 3600)} h`
          : `${Math.round(abs / 86_400)} days`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

/** A length of time in whole units, largest first: "7 days 5 min", "1 h", "90 s" → "1 min 30 s". */
export function formatSpan(seconds: number): string {
  const units: [number, string][] = [
    [86_400, ' days'],
    [3600, ' h'],
    [60, ' min'],
    [1, ' s'],
  ];
  let left = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  for (const [size, name] of units) {
    const n = Math.floor(left / size);
    left -= n * size;
    if (n > 0) parts.push(`${n}${n === 1 && size === 86_400 ? ' day' : name}`);
  }
  return parts.length === 0 ? '0 s' : parts.join(' ');
}
