import { describe, expect, it } from 'vitest';

// Read from disk at test time: a change to the matrix without the table (or back) fails here.
import databaseDoc from '../../../docs/database.md?raw';

import {
  can,
  canCompleteTask,
  PERMISSIONS,
  TEAM_ROLES,
  type Capability,
  type Reach,
  type TeamRole,
  type Verb,
} from './permissions.ts';

type MatrixReach = Reach | 'own';

type Grants = Record<TeamRole, Partial<Record<Verb, MatrixReach>>>;

/**
 * The access matrix of docs/database.md ("Who may do what"): row name → role → verb → reach.
 * Cells are parsed when a row is asked for, so rows the UI does not use may say anything.
 */
function parseMatrix(markdown: string): Map<string, () => Grants> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^\|\s*table\s*\|\s*admin\s*\|/.test(line));
  if (start < 0) throw new Error('no access matrix (| table | admin | …) in docs/database.md');
  const cells = (line: string) =>
    line
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
  const header = cells(lines[start] ?? '');
  const matrix = new Map<string, () => Grants>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const row = cells(line);
    const grants = () =>
      Object.fromEntries(TEAM_ROLES.map((role) => [role, parseCell(row[header.indexOf(role)] ?? '')])) as Grants;
    const names = (row[0] ?? '').replace(/\([^)]+\)/g, '').replace(/`/g, '');
    for (const name of names.split(',')) matrix.set(name.trim(), grants);
  }
  return matrix;
}

/** "SIU owned (not the portal account)", "S, U own profile", "SI owned (…), UD what they wrote", "execute". */
function parseCell(cell: string): Partial<Record<Verb, MatrixReach>> {
  const grants: Partial<Record<Verb, MatrixReach>> = {};
  for (const part of cell.replace(/\([^)]*\)/g, '').split(',')) {
    const match = /^(execute|[SIUD]+)\b\s*(.*)$/.exec(part.trim());
    if (!match) continue; // "—", "refused": nothing
    const [, verbs = '', qualifier = ''] = match;
    const reach: MatrixReach =
      qualifier === ''
        ? 'all'
        : /\bowned\b/.test(qualifier)
          ? 'owned'
          : /what they wrote/.test(qualifier)
            ? 'authored'
            : /\bown\b/.test(qualifier)
              ? 'own'
              : (() => {
                  throw new Error(`the matrix says "${qualifier}": teach permissions.test.ts what it means`);
                })();
    for (const verb of verbs === 'execute' ? ['X' as const] : ([...verbs] as Verb[])) grants[verb] ??= reach;
  }
  return grants;
}

const matrix = parseMatrix(databaseDoc);

describe('the permissions table mirrors the access matrix of docs/database.md', () => {
  const cases = Object.entries(PERMISSIONS).flatMap(([capability, permission]) =>
    TEAM_ROLES.flatMap((role) =>
      permission.verbs.map((verb) => ({
        capability,
        table: permission.table,
        role,
        verb,
        reach: permission.reach[role],
      })),
    ),
  );

  it.each(cases)('$capability: $role may $verb $table → $reach', ({ table, role, verb, reach }) => {
    const row = matrix.get(table);
    expect(row, `docs/database.md has no matrix row for ${table}`).toBeDefined();
    expect(row?.()[role][verb] ?? 'none').toBe(reach);
  });

  it('reads the matrix it checks against (a sample of known cells)', () => {
    expect(matrix.get('customers')?.().agent).toEqual({ S: 'owned', I: 'owned', U: 'owned' });
    expect(matrix.get('activities')?.().agent).toEqual({ S: 'owned', I: 'owned', U: 'authored', D: 'authored' });
    expect(matrix.get('job_health()')?.().manager).toEqual({});
    expect(matrix.get('currencies')?.().readonly).toEqual({ S: 'all' });
  });
});

describe('can', () => {
  const agent = { userId: 'u-agent', role: 'agent' as const };
  const cases: Array<[string, { userId: string; role: TeamRole }, Capability, Parameters<typeof can>[2], boolean]> = [
    ['an admin edits anyone’s customer', { userId: 'u-admin', role: 'admin' }, 'editCustomers', { ownerId: 'x' }, true],
    [
      'a manager edits an unowned customer',
      { userId: 'u-m', role: 'manager' },
      'editCustomers',
      { ownerId: null },
      true,
    ],
    ['an agent edits their own customer', agent, 'editCustomers', { ownerId: 'u-agent' }, true],
    ['an agent does not edit another’s', agent, 'editCustomers', { ownerId: 'u-other' }, false],
    ['an agent does not edit an unowned one', agent, 'editCustomers', { ownerId: null }, false],
    ['an agent is offered "new customer"', agent, 'createCustomers', undefined, true],
    ['readonly edits nothing', { userId: 'u-r', role: 'readonly' }, 'editCustomers', { ownerId: 'u-r' }, false],
    ['an agent creates tags', agent, 'createTags', undefined, true],
    ['an agent does not rename tags', agent, 'editTags', undefined, false],
    [
      'a manager does not manage custom fields',
      { userId: 'u-m', role: 'manager' },
      'manageCustomFields',
      undefined,
      false,
    ],
    ['an agent changes a note they wrote', agent, 'editActivities', { authorIds: ['u-agent'] }, true],
    ['an agent does not change another’s note', agent, 'editActivities', { authorIds: ['u-other'] }, false],
  ];
  it.each(cases)('%s', (_name, asker, capability, subject, expected) => {
    expect(can(asker, capability, subject)).toBe(expected);
  });

  it('lets the assignee of a task tick it off, as the activities update policy does', () => {
    expect(canCompleteTask(agent, { actorId: 'u-other', assigneeId: 'u-agent' })).toBe(true);
    expect(canCompleteTask(agent, { actorId: 'u-other', assigneeId: 'u-third' })).toBe(false);
    expect(canCompleteTask({ userId: 'u-r', role: 'readonly' }, { actorId: 'u-r', assigneeId: 'u-r' })).toBe(false);
  });
});
