export { createClient } from './create-client';
export * from './client-exports';
