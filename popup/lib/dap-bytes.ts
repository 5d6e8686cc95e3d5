/**
 * A DAP report's bytes for display: the stored hex (`0x…`) as its size and a short prefix; the
 * view shows the whole string on request and copies it exactly.
 */

/** Bytes shown before "Show all bytes". */
export const SHOWN_BYTES = 48;

export function hexSize(hex: string): number {
  return Math.max(0, (hex.length - 2) / 2);
}

/** The first `SHOWN_BYTES` bytes as hex, with an ellipsis when there are more. */
export function hexPreview(hex: string): string {
  const digits = hex.slice(2);
  const shown = digits.slice(0, SHOWN_BYTES * 2);
  return shown.length < digits.length ? `${shown}…` : shown;
}
