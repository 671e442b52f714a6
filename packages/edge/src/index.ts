/**
 * `@avsb/edge`: A vs B on edge runtimes (Cloudflare Workers, Vercel Edge,
 * Next.js middleware). See README.md.
 */
export { AvsbEdge } from './avsb-edge';
export type { AvsbEdgeMetrics, EdgeReadyOptions } from './avsb-edge';
export { DEFAULT_BASE_URL } from './options';
export type { AvsbEdgeEventOptions, AvsbEdgeOptions } from './options';
export type { WaitUntilContext } from './wait-until';
export type { AvsbContext, FlagDetail, JsonValue, ReadyResult, ScopedClient, TrackOptions } from '@avsb/core';
