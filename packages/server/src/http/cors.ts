import type { ServerResponse } from 'node:http';

/**
 * CORS for client (browser) keys only: open to every origin. Server keys get
 * no CORS headers, so a browser refuses to use them.
 */
export function allowCors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'ETag');
}

/** Answers a CORS preflight for an SDK path (the key is checked on the real request). */
export function answerPreflight(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Cache-Control, Content-Type, If-None-Match, Last-Event-ID');
  res.setHeader('Access-Control-Max-Age', '86400');
  res.writeHead(204);
  res.end();
}
