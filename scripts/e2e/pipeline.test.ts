import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { signIn, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

/**
 * The deal board in Chromium against the local stack: an agent drags a deal to the next stage
 * with the mouse and moves another with the keyboard (announced), each persisted by the
 * database; closing as lost asks for the reason; axe finds nothing serious.
 */

const run = randomUUID().slice(0, 8);

describe('the pipeline board', () => {
  const ctx = useBrowserApp({ role: 'agent', fullName: 'Paula Pipeline' });
  let pipelineId: string;
  const stage: Record<string, string> = {};
  const deal: Record<string, string> = {};

  beforeAll(async () => {
    // A pipeline of its own, so other tests' deals never share the columns.
    [{ id: pipelineId }] = await adminSql<{ id: string }>(
      `insert into public.pipelines (name, position) values ($1, $2) returning id`,
      [`E2E ${run}`, 5000 + Math.floor(Math.random() * 20_000)],
    );
    for (const row of await adminSql<{ id: string; name: string }>(
      `insert into public.deal_stages (pipeline_id, name, position, probability, is_won, is_lost) values
        ($1, 'Lead', 10, 10, false, false), ($1, 'Proposal', 20, 50, false, false), ($1, 'Lost', 30, 0, false, true)
       returning id, name`,
      [pipelineId],
    )) {
      stage[row.name] = row.id;
    }
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, owner_id) values ('Board', $1, $2) returning id`,
      [run, ctx.member.userId],
    );
    for (const [title, position] of [
      ['Mouse deal', 1024],
      ['Keyboard deal', 2048],
      ['Doomed deal', 3072],
    ] as const) {
      [{ id: deal[title] }] = await adminSql<{ id: string }>(
        `insert into public.deals (customer_id, title, stage_id, amount, currency, owner_id, position)
         values ($1, $2, $3, 1000, private.base_currency(), $4, $5) returning id`,
        [customer, title, stage.Lead, ctx.member.userId, position],
      );
    }
  });

  const stageOf = async (id: string) =>
    (await adminSql<{ stage_id: string }>('select stage_id from public.deals where id = $1', [id]))[0].stage_id;

  it('moves deals by mouse and by keyboard, and asks why a deal is lost', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/pipeline?pipeline=${pipelineId}`);
    const lead = page.getByRole('list', { name: 'Deals in Lead' });
    const proposal = page.getByRole('list', { name: 'Deals in Proposal' });
    await lead.getByRole('button', { name: 'Mouse deal', exact: true }).waitFor({ timeout: 15_000 });
    expect(await seriousViolations(page)).toEqual([]);

    // A move re-reads the board; a card's handle is focused only once that answer is in, so a
    // re-render cannot take the focus away between the focus and the key press.
    const boardRead = () => page.waitForResponse((response) => response.url().includes('/rpc/pipeline_board'));
    const focus = async (name: string) => {
      const handle = page.getByRole('button', { name });
      await handle.focus();
      await expect.poll(() => handle.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    };

    // Mouse: drag the card onto the Proposal column.
    const afterMouse = boardRead();
    await lead.locator('li', { hasText: 'Mouse deal' }).dragTo(page.locator(`[data-stage-id="${stage.Proposal}"]`));
    await proposal.getByRole('button', { name: 'Mouse deal', exact: true }).waitFor({ timeout: 10_000 });
    await expect.poll(() => stageOf(deal['Mouse deal']), { timeout: 10_000 }).toBe(stage.Proposal);
    await afterMouse;

    // Keyboard: pick up, right, down (below the mouse deal), drop — each step announced.
    await focus('Move Keyboard deal');
    const afterKeyboard = boardRead();
    await page.keyboard.press('Space');
    const live = page.getByRole('status').filter({ hasText: 'Keyboard deal' });
    await live.filter({ hasText: 'Picked up Keyboard deal' }).waitFor();
    await page.keyboard.press('ArrowRight');
    await live.filter({ hasText: 'Keyboard deal: Proposal, position 1 of 2' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await live.filter({ hasText: 'Keyboard deal: Proposal, position 2 of 2' }).waitFor();
    await page.keyboard.press('Space');
    await live.filter({ hasText: 'Keyboard deal dropped in Proposal, position 2 of 2' }).waitFor();
    await expect.poll(() => stageOf(deal['Keyboard deal']), { timeout: 10_000 }).toBe(stage.Proposal);
    const order = await adminSql<{ title: string }>(
      'select title from public.deals where stage_id = $1 order by position, id',
      [stage.Proposal],
    );
    expect(order.map((row) => row.title)).toEqual(['Mouse deal', 'Keyboard deal']);
    await afterKeyboard;

    // Won / lost asks for the reason, then closes the deal.
    // Each key waits for its announcement: a key pressed before the board took the last one is lost.
    await focus('Move Doomed deal');
    const doomed = page.getByRole('status').filter({ hasText: 'Doomed deal' });
    await page.keyboard.press('Space');
    await doomed.filter({ hasText: 'Picked up Doomed deal' }).waitFor();
    await page.keyboard.press('ArrowRight');
    await doomed.filter({ hasText: /Doomed deal: Proposal, position/ }).waitFor();
    await page.keyboard.press('ArrowRight');
    await doomed.filter({ hasText: /Doomed deal: Lost, position/ }).waitFor();
    await page.keyboard.press('Space');
    const dialog = page.getByRole('dialog', { name: 'Mark “Doomed deal” as lost' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByLabel('Why was it lost?').fill('Went with a competitor');
    await dialog.getByRole('button', { name: 'Mark as lost' }).click();
    await expect.poll(() => stageOf(deal['Doomed deal']), { timeout: 10_000 }).toBe(stage.Lost);
    const [closed] = await adminSql<{ close_reason: string; closed_at: string | null }>(
      'select close_reason, closed_at from public.deals where id = $1',
      [deal['Doomed deal']],
    );
    expect(closed.close_reason).toBe('Went with a competitor');
    expect(closed.closed_at).not.toBeNull();
    await page.close();
  }, 60_000);
});

describe('pipelines admin', () => {
  const ctx = useBrowserApp({ role: 'admin', fullName: 'Ada Pipelines' });

  it('adds a pipeline and a stage with its German name, and the board shows them', async () => {
    const name = `Admin ${randomUUID().slice(0, 6)}`;
    const page = await ctx.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/pipeline/manage`);
    const add = page.getByRole('form', { name: 'New pipeline' });
    await add.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await add.getByRole('button', { name: 'Add pipeline' }).click();
    const section = page.getByRole('region', { name });
    await section.waitFor({ timeout: 10_000 });
    const stage = section.getByRole('form', { name: `New stage in ${name}` });
    await stage.getByRole('textbox', { name: 'Name', exact: true }).fill('Sample sent');
    await stage.getByRole('textbox', { name: 'Name in German' }).fill('Muster verschickt');
    await stage.getByRole('button', { name: 'Add stage' }).click();
    await section.getByRole('form', { name: 'Stage Sample sent' }).waitFor({ timeout: 10_000 });
    await stage.getByRole('textbox', { name: 'Name', exact: true }).fill('Contract');
    await stage.getByRole('button', { name: 'Add stage' }).click();
    await section.getByRole('button', { name: 'Move Contract earlier' }).click();
    await expect
      .poll(
        async () =>
          (
            await adminSql<{ name: string }>(
              `select s.name from public.deal_stages s join public.pipelines p on p.id = s.pipeline_id
               where p.name = $1 order by s.position`,
              [name],
            )
          ).map((row) => row.name),
        { timeout: 10_000 },
      )
      .toEqual(['Contract', 'Sample sent']);
    // Removing asks first.
    await section.getByRole('button', { name: 'Remove Contract' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove the stage Contract?' });
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await section.getByRole('form', { name: 'Stage Contract' }).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await seriousViolations(page)).toEqual([]);
    const [row] = await adminSql<{ names: Record<string, string> }>(
      `select s.names from public.deal_stages s join public.pipelines p on p.id = s.pipeline_id
       where p.name = $1 and s.name = 'Sample sent'`,
      [name],
    );
    expect(row.names).toEqual({ de: 'Muster verschickt' });
    const [{ id: pipelineId }] = await adminSql<{ id: string }>(`select id from public.pipelines where name = $1`, [
      name,
    ]);
    await page.goto(`${ctx.app.url}/pipeline?pipeline=${pipelineId}`);
    await page.getByRole('list', { name: 'Deals in Sample sent' }).waitFor({ timeout: 10_000 });
    await page.close();
  }, 60_000);
});

describe('pipelines admin, for an agent', () => {
  const ctx = useBrowserApp({ role: 'agent', fullName: 'Ari Nomanage' });

  it('offers no management and says who may', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/pipeline`);
    await page.getByRole('heading', { name: 'Pipeline', level: 1 }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('link', { name: 'Manage pipelines' }).count()).toBe(0);
    await page.goto(`${ctx.app.url}/pipeline/manage`);
    await page.getByText('Only admins manage pipelines.').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('form', { name: 'New pipeline' }).count()).toBe(0);
    await page.close();
  });
});
