import { oauthRoutes } from './auth';
import { budgetCodeRoutes } from './resources/budget-codes';
import { changeOrderRoutes } from './resources/change-orders';
import { commitmentRoutes } from './resources/commitments';
import { directCostRoutes } from './resources/direct-costs';
import { projectRoutes } from './resources/projects';
import { requisitionRoutes } from './resources/requisitions';
import { vendorRoutes } from './resources/vendors';
import type { Route } from './router';

/**
 * Every operation the simulator serves. Strict mode checks write bodies against the endpoint file named by each
 * route's operationId; the commitment change order routes (`GET|POST /rest/v1.0/projects/{project_id}/
 * commitment_change_orders`, `GET|PATCH …/{id}`) have no file among the copied ones and are not checked.
 */
export const allRoutes: readonly Route[] = [
  ...oauthRoutes,
  ...projectRoutes,
  ...vendorRoutes,
  ...budgetCodeRoutes,
  ...commitmentRoutes,
  ...changeOrderRoutes,
  ...requisitionRoutes,
  ...directCostRoutes,
];
