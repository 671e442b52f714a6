// What the page shows of its flags. Every value comes from a read with a default, so the page renders before the
// datafile is in, and again on each change.
import type { AvsbBrowserClient } from '@avsb/browser';

interface Promo {
  show: boolean;
  text?: string;
  color?: string;
}

export function renderFlags(client: AvsbBrowserClient): void {
  const theme = client.getStringFlag('ui-theme', 'default');
  document.getElementById('theme')!.textContent = theme;
  document.body.dataset.theme = theme;

  const promo = client.getJsonFlag<Promo>('promo-banner', { show: false });
  const banner = document.getElementById('promo')!;
  banner.hidden = !promo.show;
  banner.textContent = promo.text ?? '';
  banner.style.background = promo.color ?? '';
}

/** `state` is also set on `<html data-avsb>` for scripts and tests that wait for the first datafile. */
export function renderStatus(state: 'ready' | 'error', text: string): void {
  document.getElementById('status')!.textContent = text;
  document.documentElement.dataset.avsb = state;
}
