/**
 * The part of `window`/`document` the lifecycle hooks use (absent outside a page: workers, tests in Node). Where
 * `addEventListener` and `document` are, so is `removeEventListener`: detach calls it unchecked.
 */
interface PageGlobals {
  addEventListener?(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
  document?: { visibilityState?: string; addEventListener(type: string, l: () => void): void; removeEventListener(type: string, l: () => void): void };
}

/** Whether the page is going away, and the function that stops watching. */
export interface PageLeaving {
  leaving(): boolean;
  detach(): void;
}

/**
 * Watches the page for the moments its events must go out now: `pagehide`
 * (the tab closes, or navigates away) and `visibilitychange` to hidden (the
 * last event a mobile browser reliably fires before it discards a page). It
 * then calls `flush`, with `leaving()` true so the transport uses
 * `sendBeacon`; `pageshow` or the page becoming visible again ends that.
 */
export function watchPageLeaving(flush: () => void): PageLeaving {
  const page = globalThis as unknown as PageGlobals;
  let leaving = false;
  const hide = (): void => {
    leaving = true;
    flush();
  };
  const show = (): void => {
    leaving = false;
  };
  const visibility = (): void => (page.document?.visibilityState === 'hidden' ? hide() : show());
  if (typeof page.addEventListener !== 'function' || page.document === undefined) return { leaving: () => false, detach: () => {} };
  page.addEventListener('pagehide', hide);
  page.addEventListener('pageshow', show);
  page.document.addEventListener('visibilitychange', visibility);
  return {
    leaving: () => leaving,
    detach: () => {
      page.removeEventListener('pagehide', hide);
      page.removeEventListener('pageshow', show);
      page.document!.removeEventListener('visibilitychange', visibility);
    },
  };
}
