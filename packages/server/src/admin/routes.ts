import type { AppContext } from '../app-context';
import type { Router } from '../http/router';
import { registerEnvironmentRoutes } from './environment-routes';
import { registerEventRoutes } from './event-routes';
import { registerItemRoutes } from './item-routes';
import { registerMetricRoutes } from './metric-routes';
import { registerProjectRoutes } from './project-routes';

/** The whole admin API (ADMIN-API.md) under `/api/v1`; the dispatcher checks the token. */
export function registerAdminRoutes(router: Router, app: AppContext): void {
  registerProjectRoutes(router, app);
  registerEnvironmentRoutes(router, app);
  registerItemRoutes(router, app);
  registerEventRoutes(router, app);
  registerMetricRoutes(router, app);
}
