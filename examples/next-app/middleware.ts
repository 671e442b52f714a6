// Runs on the edge runtime: the evaluator (compiled datafiles) from a precompiled WebAssembly.Module, and the full
// engine for a service that answers JSON datafiles only.
import fullEngine from '@avsb/next/engine';
import wasm from '@avsb/next/evaluator';
import { avsbMiddleware } from '@avsb/next/middleware';
import { NextResponse } from 'next/server';
import { contextFrom } from './lib/users';

export const middleware = avsbMiddleware({
  sdkKey: process.env.AVSB_SDK_KEY,
  baseUrl: process.env.AVSB_BASE_URL,
  wasm,
  fullEngine,
  privateAttributes: ['name'],
  contextFrom,
  // /checkout sends the visitors who get checkout-v2 to the new checkout
  handler: ({ request, flags }) => {
    if (request.nextUrl.pathname === '/checkout' && flags.getBoolFlag('checkout-v2', false)) {
      // on the host the browser asked: request.url's is the one Next serves on (localhost under `next start -H
      // 127.0.0.1`), and a redirect to another host arrives without the visitor's cookies
      const to = new URL('/checkout/v2', request.url);
      to.host = request.headers.get('host') ?? to.host;
      return NextResponse.redirect(to);
    }
    return undefined;
  },
});

export const config = {
  // pages, not Next's own files; the route handlers under /api set the visitor cookie themselves
  matcher: ['/((?!_next/|api/|favicon.ico).*)'],
  // for `next build --webpack`, whose check of edge code stops at the engine host's WebAssembly.compile (for byte
  // sources, never called here: the engine comes precompiled); the second glob is this repository's workspace
  unstable_allowDynamic: ['**/node_modules/@avsb/engine/**', '**/packages/engine/dist/**'],
};
