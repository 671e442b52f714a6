// The test app: two components, each reading its own flag, that count their renders, plus a button that tracks.
import { createElement as h, type ReactElement, useEffect } from 'react';
import { type AvsbProviderProps, AvsbProvider, useBoolFlag, useFlagDetails, useJsonFlag, useStringFlag, useTrack, useAvsbClient } from '@avsb/react';

/** How often each component rendered (a render is a call of the component function). */
export const renders = { banner: 0, theme: 0, details: 0 };

function Banner(): ReactElement {
  renders.banner += 1;
  const on = useBoolFlag('new-banner', false);
  return h('p', { id: 'banner' }, on ? 'banner: on' : 'banner: off');
}

function Theme(): ReactElement {
  renders.theme += 1;
  const theme = useStringFlag('ui-theme', 'none');
  const layout = useJsonFlag<{ columns?: number }>('layout', { columns: 1 });
  return h('p', { id: 'theme' }, `theme: ${theme}, columns: ${layout.columns ?? '?'}`);
}

function Details(): ReactElement {
  renders.details += 1;
  const detail = useFlagDetails('ui-theme', 'none');
  const track = useTrack();
  const client = useAvsbClient();
  // a child's effect runs before the provider's, which creates the client: this event waits for it
  useEffect(() => track('details-mounted'), [track]);
  return h('button', { id: 'details', onClick: () => track('clicked', { value: 1 }) }, `${detail.value} (${detail.reason.kind}, ${client === null ? 'no client' : 'client'})`);
}

/** One element for every render of the provider: new provider props alone then re-render no component below it. */
const PAGE = h('main', null, h(Banner), h(Theme), h(Details));

/** The whole page under a provider with `props`. */
export function App(props: AvsbProviderProps): ReactElement {
  return h(AvsbProvider, props, PAGE);
}

/** The same components outside any provider. */
export function Orphans(): ReactElement {
  return h('main', null, h(Banner), h(Theme));
}
