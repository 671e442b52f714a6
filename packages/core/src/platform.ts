// The platform, the logger, JSON values and the context types are defined once, in @avsb/common
// (core's index names the ones it re-exports); this module gives core's own files their types.
export type * from '@avsb/common';
export { jitterSource } from '@avsb/common';
