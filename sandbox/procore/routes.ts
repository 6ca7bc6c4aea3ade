import { oauthRoutes } from './auth';
import { budgetCodeRoutes } from './resources/budget-codes';
import { changeOrderRoutes } from './resources/change-orders';
import { commitmentRoutes } from './resources/commitments';
import { currencyRoutes } from './resources/currency';
import { directCostRoutes } from './resources/direct-costs';
import { projectRoutes } from './resources/projects';
import { requisitionRoutes } from './resources/requisitions';
import { vendorRoutes } from './resources/vendors';
import type { Route } from './router';

/**
 * Every operation the simulator serves. Strict mode checks each request against the endpoint file named by its
 * route's operationId.
 */
export const allRoutes: readonly Route[] = [
  ...oauthRoutes,
  ...projectRoutes,
  ...currencyRoutes,
  ...vendorRoutes,
  ...budgetCodeRoutes,
  ...commitmentRoutes,
  ...changeOrderRoutes,
  ...requisitionRoutes,
  ...directCostRoutes,
];
