/** What the router hands every page. */
import type { Project } from './types';

export interface RouteParams {
  project?: string;
  env?: string;
  flag?: string;
}

export interface PageContext {
  /** Where the page renders. */
  body: HTMLElement;
  params: RouteParams;
  query: URLSearchParams;
  /** `#/p/shop/e/production` from `['p', 'shop', 'e', 'production']`, each part encoded. */
  href(parts: readonly string[], query?: Record<string, string | undefined>): string;
  navigate(hash: string): void;
  refreshProjects(): Promise<void>;
  /** False once the user has moved to another page. */
  isCurrent(): boolean;
  projects(): Project[];
}

/** A page renders into `ctx.body`; it may return a cleanup run when the user leaves it. */
export type Page = (ctx: PageContext) => Promise<void | (() => void)>;

/** Route params a page cannot work without (the router only calls it when they are there). */
export function envParams(ctx: PageContext): { project: string; env: string } {
  const { project, env } = ctx.params;
  if (project === undefined || env === undefined) throw new Error('this page needs a project and an environment');
  return { project, env };
}
