// A stand-in for the app's own users and sessions, so that the example shows
// targeting by user and a login. A real app has its own (passport, express-session…);
// this demo session cookie is NOT authentication.

export interface User {
  readonly id: string;
  readonly plan: 'free' | 'pro';
  readonly email: string;
}

const USERS: readonly User[] = [
  { id: 'u_1', plan: 'free', email: 'ada@example.com' },
  { id: 'u_2', plan: 'pro', email: 'grace@example.com' },
  { id: 'u_7', plan: 'free', email: 'alan@example.com' },
  { id: 'u_9', plan: 'free', email: 'edsger@avsb.dev' },
];

export const SESSION_COOKIE = 'demo_session';

export function findUser(id: unknown): User | undefined {
  return USERS.find((u) => u.id === id);
}

/** The user of the request's demo session cookie, if any. */
export function sessionUser(req: { headers: { cookie?: string | undefined } }): User | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return findUser(value);
  }
  return undefined;
}
