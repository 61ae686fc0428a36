/**
 * A whole cast for database tests: one signed-in person per role (admin, manager, two agents,
 * readonly, a shopper with a customer record, a signed-in stranger who is neither), each with a
 * supabase-js client (real sign-in through the stack) and a way to run SQL as them (the claims
 * PostgREST would set), plus anon and service_role. Every cast is new (unique emails), so test
 * files never see each other's people.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { adminSql, anonClient, config, serviceClient, signedInClient } from '@cairn/local-stack/testing.ts';

export type StaffRole = 'admin' | 'manager' | 'agent' | 'readonly';
export type Persona = StaffRole | 'agent2' | 'shopper' | 'stranger';
export type Caller = Persona | 'anon' | 'service_role';
/** JWT claims as PostgREST sets them (`role`, `sub`, `aal`, …). */
export type Claims = Record<string, unknown>;

export interface Person {
  persona: Persona;
  userId: string;
  email: string;
  client: SupabaseClient;
  /** The JWT claims PostgREST would set for this person. */
  claims: Record<string, unknown>;
}

export interface Cast {
  people: Record<Persona, Person>;
  /** The customer record the shopper's portal account is linked to (owned by `agent`). */
  shopperCustomerId: string;
  client(caller: Caller): SupabaseClient;
  /**
   * Runs SQL as the caller, the way PostgREST does: a transaction with role and claims set. The
   * caller is a persona, or claims of one's own (e.g. a persona's with `aal: 'aal2'`).
   */
  sql<T extends pg.QueryResultRow = Record<string, unknown>>(
    caller: Caller | Claims,
    text: string,
    params?: unknown[],
  ): Promise<T[]>;
  /** How many rows `select count(*)::int as n …` counts as each of the callers, by caller. */
  countsAs(callers: Caller[], countSql: string, params?: unknown[]): Promise<Partial<Record<Caller, number>>>;
  end(): Promise<void>;
}

const STAFF: Array<[Persona, StaffRole]> = [
  ['admin', 'admin'],
  ['manager', 'manager'],
  ['agent', 'agent'],
  ['agent2', 'agent'],
  ['readonly', 'readonly'],
];

export async function createCast(label = 'cast'): Promise<Cast> {
  const tag = `${label}-${randomUUID().slice(0, 8)}`;
  const personas: Persona[] = [...STAFF.map(([persona]) => persona), 'shopper', 'stranger'];
  const staff = new Set<Persona>(STAFF.map(([persona]) => persona));
  const signedIn = await Promise.all(
    personas.map((persona) =>
      signedInClient(`${persona}-${tag}@example.test`, undefined, { invited: staff.has(persona) }),
    ),
  );
  const people = {} as Record<Persona, Person>;
  personas.forEach((persona, i) => {
    const { client, userId, email } = signedIn[i];
    people[persona] = {
      persona,
      userId,
      email,
      client,
      claims: { sub: userId, role: 'authenticated', aud: 'authenticated', email, aal: 'aal1' },
    };
  });
  for (const [persona, role] of STAFF) {
    // Invited and accepted: a row that grants its role (see docs/database.md, access matrix).
    await adminSql(
      `insert into public.team_members (user_id, email, full_name, role, accepted_at) values ($1, $2, $3, $4, now())`,
      [people[persona].userId, people[persona].email, `${persona} ${tag}`, role],
    );
  }
  const [shopperCustomer] = await adminSql<{ id: string }>(
    `insert into public.customers (first_name, last_name, email, owner_id, auth_user_id, source)
     values ('Shopper', $1, $2, $3, $4, 'portal') returning id`,
    [tag, people.shopper.email, people.agent.userId, people.shopper.userId],
  );

  const pool = new pg.Pool({ connectionString: config.adminDbUrl, max: 4 });
  const claimsOf = (caller: Caller | Claims): Claims => {
    if (typeof caller === 'object') return caller;
    if (caller === 'anon') return { role: 'anon' };
    if (caller === 'service_role') return { role: 'service_role' };
    return people[caller].claims;
  };
  const cast: Cast = {
    people,
    shopperCustomerId: shopperCustomer.id,
    client(caller) {
      if (caller === 'anon') return anonClient();
      if (caller === 'service_role') return serviceClient();
      return people[caller].client;
    },
    async countsAs(callers, countSql, params = []) {
      const counts: Partial<Record<Caller, number>> = {};
      for (const caller of callers) counts[caller] = (await cast.sql<{ n: number }>(caller, countSql, params))[0].n;
      return counts;
    },
    async sql<T extends pg.QueryResultRow>(caller: Caller | Claims, text: string, params: unknown[] = []) {
      const db = await pool.connect();
      try {
        await db.query('begin');
        const claims = claimsOf(caller);
        await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
        await db.query(`set local role ${pg.escapeIdentifier(String(claims.role))}`);
        const result = await db.query<T>(text, params);
        await db.query('commit');
        return result.rows;
      } catch (error) {
        await db.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        db.release();
      }
    },
    end: () => pool.end(),
  };
  return cast;
}
