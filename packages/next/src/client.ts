// The build puts 'use client' at the top of this entry (tsup.config.ts): a server
// component can render <AvsbProvider>, and React sends its props to the browser.
import { type ReactElement, createElement } from 'react';
import { jsonDatafiles } from '@avsb/browser/json-datafiles';
import { AvsbProvider as ReactAvsbProvider } from '@avsb/react';
import type { AvsbProviderOptionsProps, AvsbProviderProps } from '@avsb/react';

/**
 * `@avsb/react`'s `<AvsbProvider>` for a Next.js page: given options (what
 * `avsb.clientProps()` returns), the browser client it creates also loads JSON
 * datafiles (`jsonDatafiles` of `@avsb/browser/json-datafiles`), as this package's middleware
 * does, so a page served by a service that predates compiled datafiles keeps
 * working. A server layout cannot pass that loader itself: React sends a
 * client component only serialisable props. In a server layout:
 * `<AvsbProvider {...await avsb.clientProps()}>`.
 */
export function AvsbProvider(props: AvsbProviderProps): ReactElement {
  return createElement(ReactAvsbProvider, props.client !== undefined ? props : ({ jsonDatafiles, ...props } as AvsbProviderOptionsProps));
}

/** `@avsb/react`'s hooks, as client components. */
export { useAvsbClient, useBoolFlag, useFlagDetails, useJsonFlag, useNumberFlag, useStringFlag, useTrack } from '@avsb/react';
export type { AvsbProviderProps } from '@avsb/react';
