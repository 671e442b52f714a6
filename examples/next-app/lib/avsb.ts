import { createAvsbNext } from '@avsb/next';
import { contextFrom } from './users';

/**
 * The app's A vs B: one AvsbServer per process (created on first use), the
 * context of each request from its cookies. `avsb dev --exec` sets the three
 * variables. `name` is private: it never leaves the server, neither in
 * events nor in the page.
 */
export const avsb = createAvsbNext({
  sdkKey: process.env.AVSB_SDK_KEY,
  clientKey: process.env.AVSB_CLIENT_KEY,
  baseUrl: process.env.AVSB_BASE_URL,
  privateAttributes: ['name'],
  contextFrom,
});
