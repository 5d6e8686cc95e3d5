/**
 * A thin Preact wrapper around uPlot (≈ 50 KB, canvas, fast with thousands of points; Chart.js is
 * ~4× larger for the same line/bar charts). Each chart also renders its data as an accessible
 * table for screen readers, since a canvas has no text. Load it through `LazyChart`
 * (ui/lazy-chart.tsx) so uPlot stays out of the console's initial bundle.
 */
import 'uplot/dist/uPlot.min.css';

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Series {
  label: string;
  color: string;
  values: (number | null)[];
}

export interface ChartProps {
  title: string;
  /** x values: unix seconds. */
  times: number[];
  series: Series[];
  height?: number;
  /** lines (default), bars, or unconnected points (events such as commits) */
  kind?: 'lines' | 'bars' | 'points';
  /** Label of the value (y) axis. */
  valueAxis?: string;
}

export function Chart({
  title,
  times,
  series,
  height = 220,
  kind = 'lines',
  valueAxis,
}: ChartProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const width = Math.max(280, element.clientWidth);
    const bars = kind === 'bars';
    const paths = bars
      ? uPlot.paths.bars?.({ size: [0.6, 40] })
      : kind === 'points'
        ? () => null
        : undefined;
    const options: uPlot.Options = {
      title,
      width,
      height,
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          ...(bars ? { fill: s.color } : {}),
          ...(paths ? { paths } : {}),
          ...(kind === 'points' ? { points: { show: true, size: 9, fill: s.color } } : {}),
        })),
      ],
      scales: {
        // Counts and amounts: bars start at zero and a flat series still has a visible axis.
        y: { range: (_u, min, max) => [Math.min(0, min), max <= 0 ? 1 : max * 1.1] },
      },
      axes: [{}, { size: 60, ...(valueAxis ? { label: valueAxis } : {}) }],
    };
    const plot = new uPlot(options, [times, ...series.map((s) => s.values)], element);
    // One point (a single commit or epoch) would otherwise stretch the time axis over years.
    const only = times.length === 1 ? times[0] : undefined;
    if (only !== undefined) plot.setScale('x', { min: only - 3600, max: only + 3600 });
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, element.clientWidth), height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [title, times, series, height, kind, valueAxis]);

  return (
    <figure class="chart">
      <div ref={container} aria-hidden="true" data-testid={`chart-${title}`} />
      <figcaption class="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">time (UTC)</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {times.map((t, i) => (
              <tr key={t}>
                <td>{new Date(t * 1000).toISOString()}</td>
                {series.map((s) => (
                  <td key={s.label}>{s.values[i] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
