// A fetch to a real A vs B server that records what each datafile request asked for and got, and can play a service
// that predates compiled datafiles (such a service ignores the Accept header and answers JSON).

/** What a recorded datafile request asked for (`Accept`) and what its answer was (`Content-Type`). */
export interface DatafileExchange {
  readonly accept: string;
  readonly type: string | null;
}

/**
 * A `fetch` for an SDK's `fetch` option (`R`: the SDK's response type), passing everything to the real server and
 * recording each `/sdk/v1/datafile` exchange in `seen`; `jsonOnly` rewrites those requests' `Accept` to JSON.
 */
export function datafileService<R>(jsonOnly: boolean): {
  fetch: (url: string, init: { headers?: Record<string, string> }) => Promise<R>;
  seen: DatafileExchange[];
} {
  const seen: DatafileExchange[] = [];
  const fetch = async (url: string, init: { headers?: Record<string, string> }): Promise<R> => {
    if (!url.endsWith('/sdk/v1/datafile')) return (await globalThis.fetch(url, init as RequestInit)) as unknown as R;
    const accept = init.headers?.Accept ?? '';
    const headers = jsonOnly ? { ...init.headers, Accept: 'application/json' } : init.headers;
    const response = await globalThis.fetch(url, { ...(init as RequestInit), headers });
    seen.push({ accept, type: response.headers.get('content-type') });
    return response as unknown as R;
  };
  return { fetch, seen };
}
