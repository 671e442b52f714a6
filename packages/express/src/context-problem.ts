// Context validation lives in `@avsb/node/adapter`, shared by every framework adapter.
export { contextProblem } from '@avsb/node/adapter';
