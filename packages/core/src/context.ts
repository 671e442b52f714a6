/**
 * Who a flag is evaluated for (SPEC.md §2). A single-kind context has a
 * `kind` (optional: left out, it is `"user"` for evaluation and events
 * alike), a non-empty `key` and any attributes:
 *
 * ```ts
 * { kind: 'user', key: 'u_1', plan: 'pro' }
 * ```
 *
 * `anonymous` and `_meta.privateAttributes` are read by the event pipeline:
 * private attributes never leave the process.
 */
export interface SingleKindContext {
  kind?: string;
  key: string;
  anonymous?: boolean;
  _meta?: { privateAttributes?: string[] };
  [attribute: string]: unknown;
}

/** A context with several kinds: `{ kind: 'multi', user: { key: 'u_1' }, org: { key: 'acme' } }`. */
export interface MultiKindContext {
  kind: 'multi';
  [kind: string]: Omit<SingleKindContext, 'kind'> | 'multi';
}

export type AvsbContext = SingleKindContext | MultiKindContext;
