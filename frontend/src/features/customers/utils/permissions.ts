/**
 * What the screen offers each role, mirroring the customers policies (docs/database.md) so the UI
 * never offers what the database will refuse. The database still decides; this only hides.
 */
import type { Database } from '@/types/database.types.ts';

export type TeamRole = Database['public']['Enums']['team_role'];

export interface Viewer {
  userId: string;
  role: TeamRole;
}

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
  const editsAll = role === 'admin' || role === 'manager';
  return {
    create: editsAll || role === 'agent',
    bulkEdit: editsAll || role === 'agent',
    assign: editsAll,
    chooseOwner: editsAll,
    export: true,
    ownCustomersOnly: role === 'agent',
  };
}

export function canEditCustomer(viewer: Viewer, ownerId: string | null): boolean {
  if (viewer.role === 'admin' || viewer.role === 'manager') return true;
  return viewer.role === 'agent' && ownerId === viewer.userId;
}
