// Stand-in for your own authentication: the demo_user cookie names a user. Not secure.
import type { AvsbContext, NextRequestInfo } from '@avsb/next';

interface DemoUser {
  readonly name: string;
  readonly email: string;
  readonly plan: 'free' | 'pro';
}

export const USERS: Readonly<Record<string, DemoUser>> = {
  u_1: { name: 'Ada Lovelace', email: 'ada@example.com', plan: 'pro' },
  u_7: { name: 'Grace Hopper', email: 'grace@example.com', plan: 'free' },
  u_9: { name: 'Alan Turing', email: 'alan@avsb.dev', plan: 'free' },
};

/** The session cookie of this demo. */
export const SESSION_COOKIE = 'demo_user';

/**
 * The A vs B context of a request: the signed-in user, or `null` for an
 * anonymous visitor (kept in the avsb_uid cookie). Shared by the server
 * components, the route handlers and the middleware.
 */
export function contextFrom({ cookies }: NextRequestInfo): AvsbContext | null {
  const id = cookies.get(SESSION_COOKIE)?.value;
  const user = id === undefined ? undefined : USERS[id];
  if (id === undefined || user === undefined) return null;
  return { kind: 'user', key: id, name: user.name, email: user.email, plan: user.plan };
}
