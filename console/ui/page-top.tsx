/** The top of every page: a skip link to `#main`, then the header with the brand and `children`. */
import type { ComponentChildren } from 'preact';

export function PageTop({ app, children }: { app: string; children: ComponentChildren }) {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          <strong>Crowdsell</strong> <span class="muted">{app}</span>
        </div>
        {children}
      </header>
    </>
  );
}
