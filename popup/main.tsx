import { render } from 'preact';

import { App } from './app.tsx';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
  // User Timing for bench/popup.ts: whether the first render already shows the main view (it
  // does when a status is cached), so that the first contentful paint is the main view's.
  performance.mark('crowdsell:first-render', {
    detail: { mainView: document.querySelector('[role="tablist"]') !== null },
  });
}
