/**
 * Conversations in Chromium against the local stack (issue 14): an agent writes to their
 * customer from the 360 with a template (previewed in the customer's German), the email is in the
 * mail catcher, the customer's reply from the catcher (posted as SendGrid Inbound Parse posts it)
 * appears live in the agent's open inbox, and the thread waits for the team's answer. An admin
 * edits a template's German version in Settings → Templates and the preview follows as they type.
 * A note with a file: uploaded to the customer's folder, listed on the timeline, downloaded.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { createTeamMember } from '../testing/support/app-user.ts';
import { signedInPage, useBrowserApp } from '../testing/support/browser.ts';
import { createCustomer, uniqueTag } from '../testing/support/commerce.ts';
import { adminSql, mail, uniqueEmail } from '@cairn/local-stack/testing.ts';

describe('conversations (Chromium against the local stack)', () => {
  const ctx = useBrowserApp({ role: 'agent', fullName: 'Agnes Agent' });
  let customerId: string;
  let customerEmail: string;
  let templateName: string;

  beforeAll(async () => {
    customerId = await createCustomer(ctx.member.userId);
    customerEmail = uniqueEmail('lena');
    await adminSql(`update public.customers set first_name = 'Lena', email = $2, language = 'de' where id = $1`, [
      customerId,
      customerEmail,
    ]);
    templateName = `Fitting ${uniqueTag()}`;
    const [template] = await adminSql<{ id: string }>(
      `insert into public.email_templates (key, name, category, purpose) values ($1, $2, 'support', 'transactional') returning id`,
      [`fitting-${uniqueTag()}`, templateName],
    );
    await adminSql(
      `insert into public.email_template_variants (template_id, language, subject, body_html, body_text) values
         ($1, 'en', 'Your fitting, {{first_name}}', '<p>Hello {{first_name}}</p>', 'Hello {{first_name}}, see you on Friday. {{agent_name}}'),
         ($1, 'de', 'Ihre Anprobe, {{first_name}}', '<p>Hallo {{first_name}}</p>', 'Hallo {{first_name}}, bis Freitag. {{agent_name}}')`,
      [template.id],
    );
  }, 60_000);

  it('writes from the 360 with a template, and the reply from the catcher appears live in the inbox', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/customers/${customerId}?tab=messages`);
    await page.getByRole('heading', { name: 'New message' }).waitFor({ timeout: 10_000 });
    await page.getByLabel('Template').selectOption({ label: `${templateName} (transactional)` });
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByText("In German, the customer's language").waitFor();
    await preview.getByText('Hallo Lena, bis Freitag. Agnes Agent').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Attach files (up to 10 MB each)').setInputFiles({
      name: 'measurements.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 measurements'),
    });
    await page.getByRole('list', { name: 'Files to send' }).getByText('measurements.pdf').waitFor();
    await page.getByRole('button', { name: 'Send' }).click();

    const sent = await mail.waitFor(customerEmail);
    expect(sent.subject).toBe('Ihre Anprobe, Lena');
    // The file went with the email (uploaded to the customer's folder, read by send-email as the agent).
    expect((sent.raw as { attachments?: Array<{ filename: string; type: string }> }).attachments).toMatchObject([
      { filename: 'measurements.pdf', type: 'application/pdf' },
    ]);
    // The 360 now shows the thread, answered by us.
    await page
      .getByRole('article', { name: 'Ihre Anprobe, Lena' })
      .getByText('Responded')
      .first()
      .waitFor({ timeout: 10_000 });
    // The file sent is there to download, through a signed link Storage gives the agent.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download measurements.pdf' }).click({ timeout: 10_000 }),
    ]);
    expect(download.suggestedFilename()).toBe('measurements.pdf');
    const chunks: Buffer[] = [];
    for await (const chunk of (await download.createReadStream()) as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('%PDF-1.4 measurements');

    await page.goto(`${ctx.app.url}/inbox`);
    const list = page.getByRole('list', { name: 'Conversations' });
    await list.getByText('Ihre Anprobe, Lena').waitFor({ timeout: 10_000 });
    await list.getByText('Responded').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const answer = await mail.reply(sent.id, { text: 'Freitag passt mir gut.' });
    expect(answer.status, answer.body).toBe(200);
    // Live: no reload. The reply is in the open thread and the thread waits for our answer.
    await page.getByText('Freitag passt mir gut.').waitFor({ timeout: 5_000 });
    await list.getByText(/awaiting reply/i).waitFor({ timeout: 5_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("lets an admin edit a template's German version, the preview following as they type", async () => {
    const admin = await createTeamMember({ role: 'admin', fullName: 'Ada Admin', prefix: 'templates-admin' });
    const [template] = await adminSql<{ id: string }>(`select id from public.email_templates where name = $1`, [
      templateName,
    ]);
    const page = await signedInPage(ctx.browser, ctx.app.url, admin);
    await page.goto(`${ctx.app.url}/settings/templates?template=${template.id}`);
    const preview = page.getByTestId('template-editor-preview');
    await preview.getByText('Hallo Ana, bis Freitag. Ada Admin').waitFor({ timeout: 10_000 });
    expect(await seriousViolations(page)).toEqual([]);

    const text = page.getByLabel('Text (German)');
    await text.fill('Hallo {{first_name}}, wir freuen uns auf Samstag. {{agent_name}}');
    await preview.getByText('Hallo Ana, wir freuen uns auf Samstag. Ada Admin').waitFor();
    await page.getByRole('button', { name: 'Save German' }).click();
    await page.getByText('German · version 2').waitFor({ timeout: 10_000 });
    const [saved] = await adminSql<{ body_text: string; version: number }>(
      `select body_text, version from public.email_template_variants where template_id = $1 and language = 'de'`,
      [template.id],
    );
    expect(saved).toEqual({
      body_text: 'Hallo {{first_name}}, wir freuen uns auf Samstag. {{agent_name}}',
      version: 2,
    });
    await page.getByText('German, version 2', { exact: false }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('attaches a file to a note, which the timeline lists and the agent downloads', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/customers/${customerId}?tab=timeline`);
    await page.getByRole('list', { name: 'Customer timeline' }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Add note' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a note' });
    await dialog.getByRole('textbox', { name: 'Note' }).fill('Her measurements, from the fitting.');
    await dialog.getByLabel('Attach files (up to 10 MB each)').setInputFiles({
      name: 'sizes.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('chest,waist\n88,70\n'),
    });
    await dialog.getByRole('list', { name: 'Files to attach' }).getByText('sizes.csv').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add note' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });

    const [note] = await adminSql<{ attachments: Array<{ path: string; name: string; mime: string }> }>(
      `select attachments from public.activities where customer_id = $1 and body = 'Her measurements, from the fitting.'`,
      [customerId],
    );
    expect(note.attachments).toMatchObject([{ name: 'sizes.csv', mime: 'text/csv' }]);
    expect(note.attachments[0].path.startsWith(`${customerId}/notes/`)).toBe(true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download sizes.csv' }).click({ timeout: 10_000 }),
    ]);
    expect(download.suggestedFilename()).toBe('sizes.csv');
    const chunks: Buffer[] = [];
    for await (const chunk of (await download.createReadStream()) as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('chest,waist\n88,70\n');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
