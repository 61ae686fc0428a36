/**
 * What each team role may do, in one table that mirrors the access matrix in docs/database.md
 * (permissions.test.ts reads that file and fails when the two disagree). The database is the
 * authority: row-level security refuses whatever this table gets wrong. The table only decides
 * what the UI offers, so nobody is shown a button that can only end in a refusal.
 */
import { Constants, type Database } from '@/types/database.types.ts';

/** The team roles, from the generated database types (the `team_role` enum). */
export type TeamRole = Database['public']['Enums']['team_role'];
export const TEAM_ROLES = Constants.public.Enums.team_role satisfies readonly TeamRole[];

/**
 * How far a grant reaches, in the matrix's words: every row, the customers the member owns (and
 * their rows: "owned"), what they wrote ("what they wrote"), or nothing.
 */
export type Reach = 'all' | 'owned' | 'authored' | 'none';

/** A verb of the matrix: S select, I insert, U update, D delete, X execute (a function). */
export type Verb = 'S' | 'I' | 'U' | 'D' | 'X';

export interface Permission {
  /** The matrix row (a table, or a function as `name()`). */
  table: string;
  /** The verbs this capability needs; each must reach as far as `reach` says in the matrix. */
  verbs: readonly Verb[];
  reach: Record<TeamRole, Reach>;
}

const ALL_BUT_AGENT_OWNED = { admin: 'all', manager: 'all', agent: 'owned', readonly: 'none' } as const;
const ADMIN_ONLY = { admin: 'all', manager: 'none', agent: 'none', readonly: 'none' } as const;

export const PERMISSIONS = {
  /** The customers list and 360 (agents: only their own; the list says so in its query too). */
  readCustomers: {
    table: 'customers',
    verbs: ['S'],
    reach: { admin: 'all', manager: 'all', agent: 'owned', readonly: 'all' },
  },
  /** Add a customer (an agent's are their own). */
  createCustomers: { table: 'customers', verbs: ['I'], reach: ALL_BUT_AGENT_OWNED },
  /** Edit a customer, change its stage, log activities on it: "work on" it. */
  editCustomers: { table: 'customers', verbs: ['U'], reach: ALL_BUT_AGENT_OWNED },
  /** Put tags on a customer or take them off. */
  tagCustomers: { table: 'customer_tags', verbs: ['I', 'D'], reach: ALL_BUT_AGENT_OWNED },
  /** Add a tag to the team's list (tags are shared). */
  createTags: { table: 'tags', verbs: ['I'], reach: { admin: 'all', manager: 'all', agent: 'all', readonly: 'none' } },
  /** Rename, recolour or delete a tag. */
  editTags: {
    table: 'tags',
    verbs: ['U', 'D'],
    reach: { admin: 'all', manager: 'all', agent: 'none', readonly: 'none' },
  },
  /** Define, change and delete custom fields. */
  manageCustomFields: { table: 'custom_field_definitions', verbs: ['I', 'U', 'D'], reach: ADMIN_ONLY },
  /** Invite and remove members (changing roles and access is an admin's update too). */
  manageTeam: { table: 'team_members', verbs: ['I', 'D'], reach: ADMIN_ONLY },
  /** Base currency, default language, required MFA. */
  editWorkspace: { table: 'workspace_settings', verbs: ['U'], reach: ADMIN_ONLY },
  /** Settings → Audit log: who did what, when (issue 12). */
  viewAuditLog: { table: 'audit_log', verbs: ['S'], reach: ADMIN_ONLY },
  /** The scheduled jobs page (pg_cron runs and their answers). */
  viewJobHealth: { table: 'job_health()', verbs: ['X'], reach: ADMIN_ONLY },
  /** Write email templates and their language versions (Settings → Templates). */
  editTemplates: {
    table: 'email_templates',
    verbs: ['I', 'U', 'D'],
    reach: { admin: 'all', manager: 'all', agent: 'none', readonly: 'none' },
  },
  /** Build and save a segment (readonly members only read them). */
  createSegments: {
    table: 'segments',
    verbs: ['I'],
    reach: { admin: 'all', manager: 'all', agent: 'all', readonly: 'none' },
  },
  /** Change or delete a segment: only its owner, whatever their role (never readonly). */
  editSegments: {
    table: 'segments',
    verbs: ['U', 'D'],
    reach: { admin: 'authored', manager: 'authored', agent: 'authored', readonly: 'none' },
  },
  /** The rules the nightly job moves lifecycle stages by. */
  editLifecycleRules: { table: 'lifecycle_rules', verbs: ['U'], reach: ADMIN_ONLY },
  /** Settings → Integrations: connected Shopify stores (connecting goes through shopify-connect). */
  manageIntegrations: { table: 'shop_connections', verbs: ['S'], reach: ADMIN_ONLY },
  /** Settings → Affiliate feeds: register, pause, remove and run affiliate product feeds. */
  manageAffiliateFeeds: { table: 'affiliate_feeds', verbs: ['S', 'I', 'U', 'D'], reach: ADMIN_ONLY },
  /** Change or delete a note or task (agents: what they wrote, on their own customers). */
  editActivities: {
    table: 'activities',
    verbs: ['U', 'D'],
    reach: { admin: 'all', manager: 'all', agent: 'authored', readonly: 'none' },
  },
  /** Add deals and move or edit them on the board (agents: on their own customers). */
  editDeals: { table: 'deals', verbs: ['I', 'U'], reach: ALL_BUT_AGENT_OWNED },
  /** The pipelines and stages admin screen. */
  managePipelines: { table: 'pipelines', verbs: ['I', 'U', 'D'], reach: ADMIN_ONLY },
  /** Create, send, pause, resume and cancel campaigns (issue 16); everyone on the team reads them. */
  sendCampaigns: {
    table: 'campaigns',
    verbs: ['I'],
    reach: { admin: 'all', manager: 'all', agent: 'none', readonly: 'none' },
  },
  /** The privacy console: work access and erasure requests (issue 12). */
  workPrivacyRequests: {
    table: 'privacy_requests',
    verbs: ['S', 'U'],
    reach: { admin: 'all', manager: 'all', agent: 'none', readonly: 'none' },
  },
  /** Write automation flows, switch them on and pause them (others read them). */
  editFlows: {
    table: 'flows',
    verbs: ['I', 'U', 'D'],
    reach: { admin: 'all', manager: 'all', agent: 'none', readonly: 'none' },
  },
} as const satisfies Record<string, Permission>;

export type Capability = keyof typeof PERMISSIONS;

/** Who asks: the fields of the viewer a permission looks at. */
export interface Asker {
  userId: string;
  role: TeamRole;
}

/** The row a reach of "owned" or "authored" is checked against. */
export interface Subject {
  /** The customer's owner (for a customer's own rows: their customer's owner). */
  ownerId?: string | null;
  /** Who wrote it, and anyone else the policy lets act as its writer (a task's assignee). */
  authorIds?: readonly (string | null)[];
}

export function reachOf(role: TeamRole, capability: Capability): Reach {
  return PERMISSIONS[capability].reach[role];
}

/**
 * May the asker do this (to this row)? Without a row, "owned" and "authored" mean "to some rows":
 * the button is offered and each row decides.
 */
export function can(asker: Asker, capability: Capability, subject?: Subject): boolean {
  const reach = reachOf(asker.role, capability);
  if (reach === 'all') return true;
  if (reach === 'none') return false;
  if (!subject) return true;
  if (reach === 'owned') return subject.ownerId === asker.userId;
  return (subject.authorIds ?? []).includes(asker.userId);
}

/** Sees every customer, not only their own (agents do not). */
export const seesAllCustomers = (role: TeamRole) => reachOf(role, 'readCustomers') === 'all';

/** Hands customers to someone else, or picks the owner of a new one: whoever edits every customer. */
export const assignsCustomers = (role: TeamRole) => reachOf(role, 'editCustomers') === 'all';

/**
 * Ticks a task off: whoever may change it, and the task's assignee (the activities update policy
 * lets an assignee change `completed_at` only; docs/database.md, Activities).
 */
export function canCompleteTask(asker: Asker, task: { actorId: string | null; assigneeId: string | null }): boolean {
  return can(asker, 'editActivities', { authorIds: [task.actorId, task.assigneeId] });
}
