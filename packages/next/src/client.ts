// The build puts 'use client' at the top of this entry (tsup.config.ts): a server
// component can render <AvsbProvider>, and React sends its props to the browser.
/**
 * `@avsb/next/client`: `@avsb/react`'s provider and hooks as client
 * components. In a server layout: `<AvsbProvider {...await avsb.clientProps()}>`.
 */
export {
  AvsbProvider,
  useAvsbClient,
  useBoolFlag,
  useFlagDetails,
  useJsonFlag,
  useNumberFlag,
  useStringFlag,
  useTrack,
} from '@avsb/react';
export type { AvsbProviderProps } from '@avsb/react';
