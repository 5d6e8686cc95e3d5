/**
 * Runs inside the popup page (Chromium or Firefox) for `npm run bench:popup`: the first contentful
 * paint and whether the popup's first render (its `crowdsell:first-render` mark, popup/main.tsx)
 * showed the main view; false until both exist. Self-contained, since the browser runs its text.
 */
export interface FirstRender {
  fcp: number;
  mainView: boolean;
}

export function firstRenderProbe(): FirstRender | false {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const mark = performance.getEntriesByName('crowdsell:first-render')[0] as
    PerformanceMark | undefined;
  if (!fcp || !mark) return false;
  return { fcp: fcp.startTime, mainView: (mark.detail as { mainView: boolean }).mainView };
}
