/** Text the packager prints: findings first, then one line per written zip. */
import type { Finding } from './checks.ts';

export interface Artifact {
  /** Path as shown to the user (relative to the repository). */
  file: string;
  bytes: number;
  sha256: string;
  entries: number;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings
    .map((finding) => `${finding.severity.toUpperCase()} [${finding.code}] ${finding.message}`)
    .join('\n');
}

export function formatSummary(artifacts: readonly Artifact[]): string {
  const width = Math.max(...artifacts.map((artifact) => artifact.file.length));
  return artifacts
    .map(
      (artifact) =>
        `${artifact.file.padEnd(width)}  ${formatSize(artifact.bytes).padStart(10)}  ${String(artifact.entries).padStart(4)} files  sha256 ${artifact.sha256}`,
    )
    .join('\n');
}
