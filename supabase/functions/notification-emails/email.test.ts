import { deepStrictEqual, match, ok, strictEqual, throws } from 'node:assert/strict';
import { buildNotificationEmail, type ClaimedEmail, type EmailItem, MAX_DIGEST_ITEMS } from './email.ts';

const options = { from: { email: 'team@cairn.example', name: 'Cairn' }, appUrl: 'https://app.example' };

const task: EmailItem = {
  kind: 'task_due',
  title: 'Task due: Call Ada back',
  body: null,
  link: '/tasks?task=7',
  created_at: '2026-03-02T07:00:00Z',
  subject: 'Call Ada back',
  due_at: '2026-03-02T07:00:00Z',
  customer_name: 'Ada <Lovelace>',
};

const claimed = (fields: Partial<ClaimedEmail>): ClaimedEmail => ({
  email_id: 41,
  recipient_email: 'agent@cairn.example',
  recipient_name: 'Agnes',
  language: 'en',
  timezone: 'UTC',
  active: true,
  digest_date: null,
  items: [task],
  ...fields,
});

Deno.test("a reminder says the task, its due time in the member's zone and language, and links to it", () => {
  const email = buildNotificationEmail(claimed({ language: 'de', timezone: 'Europe/Berlin' }), options);
  strictEqual(email.subject, 'Erinnerung: Call Ada back');
  deepStrictEqual(email.to, { email: 'agent@cairn.example', name: 'Agnes' });
  match(email.text, /^Hallo Agnes,/);
  // 07:00 UTC is 08:00 in Berlin in March.
  match(email.text, /Fällig 02\.03\.2026, 08:00/);
  match(email.text, /Kunde: Ada <Lovelace>/);
  match(email.text, /In Cairn öffnen: https:\/\/app\.example\/tasks\?task=7/);
  // Names are text in HTML, never markup.
  match(email.html, /Ada &lt;Lovelace&gt;/);
  match(email.html, /<html lang="de">/);
  deepStrictEqual(email.customArgs, { notification_email_id: '41' });
});

Deno.test("a digest counts and lists its notifications, its day in the member's language", () => {
  const won: EmailItem = {
    ...task,
    kind: 'deal_won',
    subject: 'Big order',
    body: 'Signed',
    link: '/pipeline?deal=9',
    due_at: null,
  };
  const email = buildNotificationEmail(
    claimed({ language: 'fr', digest_date: '2026-03-02', items: [task, won] }),
    options,
  );
  strictEqual(email.subject, 'Votre résumé Cairn du 2 mars 2026 : 2 notifications');
  match(email.text, /Tâche à échéance: Call Ada back/);
  match(
    email.text,
    /Affaire gagnée: Big order\n {2}Client : Ada <Lovelace>\n {2}Signed\n {2}Ouvrir dans Cairn: https:\/\/app\.example\/pipeline\?deal=9/,
  );
  match(email.text, /https:\/\/app\.example\/notifications/);
  deepStrictEqual(email.categories, ['notification', 'digest']);
});

Deno.test('every language has its words; an unknown one falls back to English', () => {
  const subjects = ['en', 'de', 'fr', 'es', 'zh', 'xx'].map(
    (language) => buildNotificationEmail(claimed({ language, digest_date: '2026-03-02' }), options).subject,
  );
  deepStrictEqual(subjects, [
    'Your Cairn digest for 2 March 2026: 1 notification',
    'Deine Cairn-Zusammenfassung vom 2. März 2026: 1 Benachrichtigung',
    'Votre résumé Cairn du 2 mars 2026 : 1 notification',
    'Tu resumen de Cairn del 2 de marzo de 2026: 1 notificación',
    'Cairn 每日摘要（2026年3月2日）：1 条通知',
    'Your Cairn digest for 2 March 2026: 1 notification',
  ]);
});

Deno.test('a long digest lists the first items and counts the rest; links only to app paths', () => {
  const many = Array.from({ length: MAX_DIGEST_ITEMS + 3 }, (_, i) => ({ ...task, subject: `Task ${i}` }));
  const email = buildNotificationEmail(claimed({ digest_date: '2026-03-02', items: many }), options);
  match(email.text, /… and 3 more in Cairn\./);
  ok(!email.text.includes(`Task ${MAX_DIGEST_ITEMS}\n`));
  const odd = buildNotificationEmail(claimed({ items: [{ ...task, link: '//evil.example/x' }] }), options);
  ok(!odd.text.includes('evil.example'));
  throws(() => buildNotificationEmail(claimed({ items: [] }), options), /nothing to send/);
});
