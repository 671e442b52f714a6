// The test page: the app mounted or hydrated by react-dom/client (React 18 or 19), driven from the tests on `window.page`.
import { createElement as h, version } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { createClient } from '@avsb/browser';
import type { AvsbProviderProps } from '@avsb/react';
import { App, renders } from './components';

const recoverableErrors: string[] = [];
const onRecoverableError = (error: unknown): void => void recoverableErrors.push(String((error as Error)?.message ?? error));

const page = {
  version,
  renders,
  recoverableErrors,
  /** Renders the app into #root from scratch. */
  mount(props: AvsbProviderProps): void {
    createRoot(document.getElementById('root')!, { onRecoverableError }).render(h(App, props));
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
