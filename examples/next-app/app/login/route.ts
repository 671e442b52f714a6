import { cookies } from 'next/headers';
import { SESSION_COOKIE, USERS } from '../../lib/users';

/** GET /login?user=u_1 signs in as a demo user (GET /login signs out), then goes home. */
export async function GET(request: Request) {
  const user = new URL(request.url).searchParams.get('user');
  const store = await cookies();
  if (user !== null && USERS[user] !== undefined) store.set(SESSION_COOKIE, user, { httpOnly: true, sameSite: 'lax', path: '/' });
  else store.delete(SESSION_COOKIE);
  // a relative Location: request.url names the host Next was started on (localhost under `next start -H 127.0.0.1`),
  // not the one the browser asked, and a redirect to another host arrives without the cookie just set
  return new Response(null, { status: 303, headers: { Location: '/' } });
}
