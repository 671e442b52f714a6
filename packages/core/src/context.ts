// The context types, and the rules that validate a context, are defined once, in @avsb/common.
export type { AvsbContext, ContextKeys, MultiKindContext, SingleKindContext, ValidatedContext } from '@avsb/common';
