// Server rendering of the test app with react-dom/server, bundled for Node against React 18 or 19.
import { createElement as h, version } from 'react';
import { renderToString } from 'react-dom/server';
import type { AvsbProviderProps } from '@avsb/react';
import { App, Orphans, renders } from './components';

export { renders, version };

export function renderApp(props: AvsbProviderProps): string {
  return renderToString(h(App, props));
}

export function renderOrphans(): string {
  return renderToString(h(Orphans));
}
