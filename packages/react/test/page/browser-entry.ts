// The test page: the app mounted or hydrated by react-dom/client (React 18 or 19), driven from the tests on `window.page`.
import { StrictMode, createElement as h, version } from 'react';
import type { Root } from 'react-dom/client';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { createClient } from '@avsb/browser';
import type { AvsbProviderProps } from '@avsb/react';
import { App, renders } from './components';

const recoverableErrors: string[] = [];
const onRecoverableError = (error: unknown): void => void recoverableErrors.push(String((error as Error)?.message ?? error));

let root: Root | null = null;

const page = {
  version,
  renders,
  recoverableErrors,
  /** Renders the app into #root (again, with new props: the same root), in StrictMode if asked. */
  mount(props: AvsbProviderProps, options: { strict?: boolean } = {}): void {
    root ??= createRoot(document.getElementById('root')!, { onRecoverableError });
    root.render(options.strict === true ? h(StrictMode, null, h(App, props)) : h(App, props));
  },
  /** Unmounts the app: a provider that created its client closes it (flushing its events). */
  unmount(): void {
    root?.unmount();
    root = null;
  },
  /** Hydrates the server's HTML in #root. */
  hydrate(props: AvsbProviderProps): void {
    hydrateRoot(document.getElementById('root')!, h(App, props), { onRecoverableError });
  },
  createClient,
};

declare global {
  interface Window {
    page: typeof page;
  }
}

window.page = page;
document.documentElement.dataset.loaded = 'true';
