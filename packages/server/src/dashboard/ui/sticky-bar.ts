/**
 * Keeps what a sticky bar at the bottom of the window would cover
 * reachable: the page's `scroll-padding-bottom` (`--sticky-bar-height`,
 * used by `html` in base.css) follows the bar's height as it grows (two rows
 * of buttons on a phone, an error under them), so focusing a field or
 * scrolling one into view stops above the bar instead of behind it.
 */
export function stickyBar(bar: HTMLElement): () => void {
  const root = document.documentElement;
  const update = (): void => {
    root.style.setProperty('--sticky-bar-height', Math.ceil(bar.getBoundingClientRect().height) + 'px');
  };
  const observer = new ResizeObserver(update);
  observer.observe(bar);
  update();
  return () => {
    observer.disconnect();
    root.style.removeProperty('--sticky-bar-height');
  };
}
