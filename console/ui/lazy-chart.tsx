/**
 * `Chart`, loaded on first use: uPlot and its CSS are fetched as their own chunk by a dynamic
 * `import()`, so the console's first paint (sign-in, researcher pages) never waits for them.
 */
import { useEffect, useState } from 'preact/hooks';

import type { Chart, ChartProps } from './chart.tsx';
import { ErrorNote, Loading } from './states.tsx';

type ChartComponent = typeof Chart;

let chartModule: Promise<ChartComponent> | undefined;

function loadChart(): Promise<ChartComponent> {
  chartModule ??= import('./chart.tsx').then((m) => m.Chart);
  // A failed fetch (offline, new deploy) is retried on the next attempt, not cached.
  chartModule.catch(() => (chartModule = undefined));
  return chartModule;
}

export function LazyChart(props: ChartProps) {
  const [component, setComponent] = useState<{ Chart: ChartComponent } | null>(null);
  const [failed, setFailed] = useState(false);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    loadChart().then(
      (loaded) => live && setComponent({ Chart: loaded }),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [round]);
  if (failed) {
    return (
      <ErrorNote
        error={new Error('The chart code could not be loaded; check the connection.')}
        onRetry={() => {
          setFailed(false);
          setRound((r) => r + 1);
        }}
      />
    );
  }
  if (!component) return <Loading what={`the ${props.title.toLowerCase()} chart`} />;
  return <component.Chart {...props} />;
}
