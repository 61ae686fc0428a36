/**
 * What the customers screens offer, read off the one permissions table (src/lib/permissions.ts):
 * no role is named here. The database still decides; this only hides.
 */
import { assignsCustomers, reachOf, seesAllCustomers, type Asker, type TeamRole } from '@/lib/permissions.ts';

import type { ListScope } from '../api/customers.ts';

export interface CustomerAbilities {
  /** Admins, managers and agents add customers (an agent's are theirs). */
  create: boolean;
  /** Tag, change stage: on every customer for admins and managers, on their own for agents. */
  bulkEdit: boolean;
  /** Hand customers to someone else: agents cannot give a customer away. */
  assign: boolean;
  /** Pick the owner in the form (agents' customers are always their own). */
  chooseOwner: boolean;
  /** Every team member may export what they can see; each export is logged. */
  export: boolean;
  /** Agents read only their own customers; the list says so in its query too. */
  ownCustomersOnly: boolean;
}

export function abilitiesOf(role: TeamRole): CustomerAbilities {
  return {
    create: reachOf(role, 'createCustomers') !== 'none',
    bulkEdit: reachOf(role, 'editCustomers') !== 'none',
    assign: assignsCustomers(role),
    chooseOwner: assignsCustomers(role),
    export: reachOf(role, 'readCustomers') !== 'none',
    ownCustomersOnly: !seesAllCustomers(role),
  };
}

/** The list's query scope: agents read only their own customers, and say so (customers_owner_idx). */
export function listScopeOf(asker: Asker): ListScope {
  return abilitiesOf(asker.role).ownCustomersOnly ? { ownerOnly: asker.userId } : {};
}
