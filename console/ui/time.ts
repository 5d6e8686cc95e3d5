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
