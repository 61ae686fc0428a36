import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Customer exports are made and logged by the database in one place (export_customers_csv):
 * the file holds what the caller's row-level security lets them see, with the list's filters;
 * the export_log row (who, which filters, how many rows) is written in the same transaction and
 * nobody can write one directly. Cells a spreadsheet would run as formulas are escaped. A plain
 * REST read of the list returns at most one page (the API's max_rows), so the logged export is
 * the only way to take the list in bulk.
 */

interface ExportResult {
  csv: string;
  row_count: number;
  capped: boolean;
}

const run = randomUUID().slice(0, 8);
const maxRows = (
  parse(readFileSync(path.join(config.root, 'supabase', 'config.toml'), 'utf8')) as {
    api: { max_rows: number };
  }
).api.max_rows;

/** The file's rows as arrays of cells (the first is the header). */
const cells = (csv: string): string[][] => Papa.parse<string[]>(csv, { newline: '\r\n', skipEmptyLines: true }).data;

async function newCustomer(fields: Record<string, string | null>): Promise<string> {
  const columns = Object.keys(fields);
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.customers (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')}) returning id`,
    Object.values(fields),
  );
  return id;
}

describe('export_customers_csv', () => {
  let cast: Cast;
  let tagId: string;
  let agentsTagged: string[];
  let agent2sTagged: string;

  const exportAs = (caller: Caller, args: Record<string, unknown>) =>
    cast.client(caller).rpc('export_customers_csv', args).single<ExportResult>();
  /** The export's result; fails the test with the database's message when it was refused. */
  const exported = async (caller: Caller, args: Record<string, unknown>): Promise<ExportResult> => {
    const { data, error } = await exportAs(caller, args);
    if (error || !data) throw new Error(`export refused: ${error?.message}`);
    return data;
  };
  const logOf = (userId: string) =>
    adminSql<{ kind: string; row_count: number; filters: Record<string, unknown> }>(
      `select kind, row_count, filters from public.export_log where actor_id = $1 order by id`,
      [userId],
    );

  beforeAll(async () => {
    cast = await createCast('export');
    [{ id: tagId }] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
      `export-${run}`,
    ]);
    const agent = cast.people.agent.userId;
    agentsTagged = [
      await newCustomer({ first_name: 'Ada', last_name: `Plain${run}`, owner_id: agent, phone: '+4915112345678' }),
      await newCustomer({ first_name: '-1+HYPERLINK("http://evil.example","Click me")', owner_id: agent }),
      await newCustomer({ first_name: "+1-2+cmd|' /C calc'!A0", owner_id: agent }),
      await newCustomer({ first_name: '=1+1', company: ' =1+1', owner_id: agent }),
      await newCustomer({ first_name: '@SUM(1)', company: '  -2+3', city: '+4915112345678', owner_id: agent }),
    ];
    agent2sTagged = await newCustomer({
      first_name: 'Bea',
      last_name: `Other${run}`,
      owner_id: cast.people.agent2.userId,
    });
    for (const id of [...agentsTagged, agent2sTagged]) {
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [id, tagId]);
    }
  });
  afterAll(() => cast?.end());

  it('holds what the caller may see with the filters, and logs itself once, with the true count', async () => {
    const before = await logOf(cast.people.agent.userId);
    const data = await exported('agent', { filters: { tag: tagId, sort: 'name' } });
    const [header, ...rows] = cells(data.csv);
    expect(header.slice(0, 4)).toEqual(['id', 'name', 'email', 'phone']);
    expect(rows.map((row) => row[0]).sort()).toEqual([...agentsTagged].sort());
    expect(data).toMatchObject({ row_count: 5, capped: false });
    const after = await logOf(cast.people.agent.userId);
    expect(after.slice(before.length)).toEqual([
      { kind: 'customers_csv', row_count: 5, filters: { tag: tagId, sort: 'name' } },
    ]);
  });

  it('a manager exports every customer the filters match', async () => {
    const data = await exported('manager', { filters: { tag: tagId } });
    expect(data.row_count).toBe(6);
    expect(
      cells(data.csv)
        .slice(1)
        .map((row) => row[0]),
    ).toContain(agent2sTagged);
  });

  it('a selection exports the selected customers the caller may see, and the log says so', async () => {
    const data = await exported('agent', {
      filters: { tag: tagId },
      selected: [agentsTagged[0], agent2sTagged],
    });
    expect(
      cells(data.csv)
        .slice(1)
        .map((row) => row[0]),
    ).toEqual([agentsTagged[0]]);
    const log = await logOf(cast.people.agent.userId);
    expect(log.at(-1)).toEqual({ kind: 'customers_csv', row_count: 1, filters: { tag: tagId, selected: 2 } });
  });

  it('headers and labels come from the caller, escaped like every other cell', async () => {
    const data = await exported('agent', {
      filters: { tag: tagId, q: `plain${run}` },
      labels: { headers: { id: 'Kennung', name: '=Name' }, status: { active: 'Aktiv' } },
    });
    const [header, row] = cells(data.csv);
    expect(header.slice(0, 3)).toEqual(['Kennung', "'=Name", 'email']);
    expect(row[7]).toBe('Aktiv');
  });

  it('cells a spreadsheet would run as formulas are escaped; a phone number in the phone column is not', async () => {
    const data = await exported('agent', { filters: { tag: tagId } });
    const byId = new Map(
      cells(data.csv)
        .slice(1)
        .map((row) => [row[0], row]),
    );
    const [plain, hyperlink, cmd, equals, at] = agentsTagged.map((id) => byId.get(id) ?? []);
    expect(plain[3]).toBe('+4915112345678');
    expect(hyperlink[1]).toBe(`'-1+HYPERLINK("http://evil.example","Click me")`);
    expect(cmd[1]).toBe(`'+1-2+cmd|' /C calc'!A0`);
    expect(equals[1]).toBe(`'=1+1`);
    expect(equals[4]).toBe(`' =1+1`);
    expect(at[1]).toBe(`'@SUM(1)`);
    expect(at[4]).toBe(`'  -2+3`);
    // Only the phone column is allowed a leading +.
    expect(at[6]).toBe(`'+4915112345678`);
    // Nothing unescaped starts (after spaces) with = + - @ anywhere, but a phone number.
    const dangerous = cells(data.csv)
      .flatMap((row) => row.filter((_, i) => i !== 3))
      .filter((cell) => /^\s*[=+\-@\t\r]/.test(cell));
    expect(dangerous).toEqual([]);
  });

  it.each([
    ['-1+HYPERLINK("http://evil.example","Click me")', false, `"'-1+HYPERLINK(""http://evil.example"",""Click me"")"`],
    ["+1-2+cmd|' /C calc'!A0", false, `"'+1-2+cmd|' /C calc'!A0"`],
    ['=1+1', false, `"'=1+1"`],
    ['@SUM(1)', false, `"'@SUM(1)"`],
    ['\t=1+1', false, `"'\t=1+1"`],
    ['\r=1+1', false, `"'\r=1+1"`],
    ['   =1+1', false, `"'   =1+1"`],
    ['-', false, `"'-"`],
    ['+4915112345678', true, '+4915112345678'],
    ['+4915112345678', false, `"'+4915112345678"`],
    ['+49 151 1234', true, `"'+49 151 1234"`],
    ['Müller, "Max"', false, '"Müller, ""Max"""'],
    ['line\nbreak', false, '"line\nbreak"'],
    ['plain', false, 'plain'],
    [null, false, ''],
  ])('private.csv_cell(%j, phone: %s) = %j', async (value, phone, expected) => {
    const [{ cell }] = await adminSql<{ cell: string }>(`select private.csv_cell($1, $2) as cell`, [value, phone]);
    expect(cell).toBe(expected);
  });

  it('refuses bad filters plainly', async () => {
    const { error } = await exportAs('manager', { filters: { sort: 'salary' } });
    expect(error).toMatchObject({ code: '22023' });
    expect(error?.message).toMatch(/sort/);
    expect((await exportAs('manager', { filters: { owner: 'someone' } })).error).toMatchObject({ code: '22023' });
  });

  it.each<Caller>(['shopper', 'stranger'])('%s, who is no team member, exports nothing', async (caller) => {
    const { error } = await exportAs(caller, { filters: {} });
    expect(error).toMatchObject({ code: '42501' });
    expect(error?.message).toBe('only team members export customers');
  });

  it('anon cannot call it', async () => {
    const { error } = await exportAs('anon', { filters: {} });
    expect(error?.code).toBe('42501');
  });

  it.each<Caller>(['anon', 'admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger', 'service_role'])(
    '%s cannot write export_log directly',
    async (caller) => {
      const { error } = await cast
        .client(caller)
        .from('export_log')
        .insert({ kind: 'customers_csv', filters: {}, row_count: 0 });
      expect(error).toMatchObject({ code: '42501' });
      await expect(
        cast.sql(caller, `insert into public.export_log (kind, row_count) values ('customers_csv', 0)`),
      ).rejects.toMatchObject({ code: '42501' });
    },
  );
});

describe('a plain REST read of the list is bounded to one page', () => {
  let cast: Cast;
  const bulk = `bulk${run}`;

  beforeAll(async () => {
    cast = await createCast('pages');
    await adminSql(
      `insert into public.customers (first_name, last_name) select 'Bulk', $1 || n from generate_series(1, $2::int) n`,
      [bulk, maxRows + 100],
    );
  });
  afterAll(() => cast?.end());

  it('max_rows is the largest page the app reads, well under a bulk read', () => {
    expect(maxRows).toBeLessThanOrEqual(500);
  });

  it('customer_list with limit=1000 gives at most max_rows rows', async () => {
    const { data, error } = await cast
      .client('manager')
      .from('customer_list')
      .select('id')
      .ilike('last_name', `${bulk}%`)
      .limit(1000);
    expect(error).toBeNull();
    expect(data).toHaveLength(maxRows);
  });

  it('so do customers and the list search', async () => {
    const customers = await cast
      .client('admin')
      .from('customers')
      .select('id')
      .ilike('last_name', `${bulk}%`)
      .limit(1000);
    expect(customers.data).toHaveLength(maxRows);
    const search = await cast
      .client('manager')
      .rpc('search_customer_list', { query: bulk }, { get: true })
      .select('id')
      .limit(1000);
    expect(search.error).toBeNull();
    expect(search.data).toHaveLength(maxRows);
  });
});
