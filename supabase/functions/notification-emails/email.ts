/**
 * notification-emails' content: a claimed email (one notification sent at once, or a member's
 * daily digest) becomes the email itself, in the member's language and time zone. Pure, so
 * `deno test` checks the words and the links.
 */
import { escapeHtml } from '../_shared/html.ts';
import type { EmailAddress, OutgoingEmail } from '../_shared/sendgrid.ts';

export type Language = 'en' | 'de' | 'fr' | 'es' | 'zh';

export interface EmailItem {
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  created_at: string;
  /** What it is about, in no language: the task's subject, the deal's title. */
  subject: string | null;
  due_at: string | null;
  customer_name: string | null;
}

/** A row of public.claim_notification_emails. */
export interface ClaimedEmail {
  email_id: number;
  recipient_email: string;
  recipient_name: string;
  language: string;
  timezone: string;
  active: boolean;
  /** A digest's calendar day (the member's zone); null for an email about one notification. */
  digest_date: string | null;
  items: EmailItem[];
}

export interface EmailOptions {
  from: EmailAddress;
  /** The app's address (SITE_URL): item links are its paths. */
  appUrl: string;
}

/** Items listed in one digest; the rest are counted and left to the app. */
export const MAX_DIGEST_ITEMS = 100;

// The kind names match the app's (frontend/src/locales/<lang>/notifications.json, `kinds`).
const KINDS: Record<Language, Record<string, string>> = {
  en: {
    new_order: 'New order',
    task_assigned: 'Task assigned to you',
    task_due: 'Task due',
    mention: 'Mention',
    delivery_failed: 'Message not delivered',
    deal_won: 'Deal won',
    deal_lost: 'Deal lost',
    system: 'System',
    customer_assigned: 'Customer assigned to you',
    customer_reply: 'Reply from a customer',
    email_bounced: 'Email bounced',
    integration_failed: 'Integration job failed',
  },
  de: {
    new_order: 'Neue Bestellung',
    task_assigned: 'Dir zugewiesene Aufgabe',
    task_due: 'Aufgabe fällig',
    mention: 'Erwähnung',
    delivery_failed: 'Nachricht nicht zugestellt',
    deal_won: 'Geschäft gewonnen',
    deal_lost: 'Geschäft verloren',
    system: 'System',
    customer_assigned: 'Dir zugewiesener Kunde',
    customer_reply: 'Antwort eines Kunden',
    email_bounced: 'E-Mail unzustellbar',
    integration_failed: 'Integrationsauftrag fehlgeschlagen',
  },
  fr: {
    new_order: 'Nouvelle commande',
    task_assigned: 'Tâche qui vous est confiée',
    task_due: 'Tâche à échéance',
    mention: 'Vous êtes mentionné',
    delivery_failed: 'Message non remis',
    deal_won: 'Affaire gagnée',
    deal_lost: 'Affaire perdue',
    system: 'Système',
    customer_assigned: 'Client qui vous est confié',
    customer_reply: 'Réponse d’un client',
    email_bounced: 'E-mail rejeté',
    integration_failed: 'Échec d’une tâche d’intégration',
  },
  es: {
    new_order: 'Nuevo pedido',
    task_assigned: 'Tarea asignada a ti',
    task_due: 'Tarea pendiente',
    mention: 'Mención',
    delivery_failed: 'Mensaje no entregado',
    deal_won: 'Trato ganado',
    deal_lost: 'Trato perdido',
    system: 'Sistema',
    customer_assigned: 'Cliente asignado a ti',
    customer_reply: 'Respuesta de un cliente',
    email_bounced: 'Correo rebotado',
    integration_failed: 'Fallo de una tarea de integración',
  },
  zh: {
    new_order: '新订单',
    task_assigned: '分配给你的任务',
    task_due: '任务到期',
    mention: '提及',
    delivery_failed: '消息未送达',
    deal_won: '交易赢单',
    deal_lost: '交易输单',
    system: '系统',
    customer_assigned: '分配给你的客户',
    customer_reply: '客户回复',
    email_bounced: '邮件退信',
    integration_failed: '集成任务失败',
  },
};

interface Words {
  hello(name: string): string;
  reminderSubject(subject: string): string;
  notificationSubject(kind: string, subject: string): string;
  digestSubject(date: string, count: number): string;
  digestIntro(count: number): string;
  due(time: string): string;
  customer(name: string): string;
  open: string;
  more(count: number): string;
  why: string;
  settings: string;
}

const WORDS: Record<Language, Words> = {
  en: {
    hello: (name) => `Hello ${name},`,
    reminderSubject: (subject) => `Reminder: ${subject}`,
    notificationSubject: (kind, subject) => `${kind}: ${subject}`,
    digestSubject: (date, n) => `Your Cairn digest for ${date}: ${n} ${n === 1 ? 'notification' : 'notifications'}`,
    digestIntro: (n) => `${n === 1 ? 'This is what happened' : `These ${n} things happened`} since your last digest.`,
    due: (time) => `Due ${time}`,
    customer: (name) => `Customer: ${name}`,
    open: 'Open in Cairn',
    more: (n) => `… and ${n} more in Cairn.`,
    why: 'You get this email because of your notification settings in Cairn.',
    settings: 'Change them',
  },
  de: {
    hello: (name) => `Hallo ${name},`,
    reminderSubject: (subject) => `Erinnerung: ${subject}`,
    notificationSubject: (kind, subject) => `${kind}: ${subject}`,
    digestSubject: (date, n) =>
      `Deine Cairn-Zusammenfassung vom ${date}: ${n} ${n === 1 ? 'Benachrichtigung' : 'Benachrichtigungen'}`,
    digestIntro: (n) =>
      `${n === 1 ? 'Das ist' : `Diese ${n} Dinge sind`} seit deiner letzten Zusammenfassung passiert.`,
    due: (time) => `Fällig ${time}`,
    customer: (name) => `Kunde: ${name}`,
    open: 'In Cairn öffnen',
    more: (n) => `… und ${n} weitere in Cairn.`,
    why: 'Du erhältst diese E-Mail wegen deiner Benachrichtigungseinstellungen in Cairn.',
    settings: 'Einstellungen ändern',
  },
  fr: {
    hello: (name) => `Bonjour ${name},`,
    reminderSubject: (subject) => `Rappel : ${subject}`,
    notificationSubject: (kind, subject) => `${kind} : ${subject}`,
    digestSubject: (date, n) => `Votre résumé Cairn du ${date} : ${n} notification${n === 1 ? '' : 's'}`,
    digestIntro: (n) =>
      `${n === 1 ? 'Voici ce qui s’est passé' : `Voici les ${n} événements survenus`} depuis votre dernier résumé.`,
    due: (time) => `Échéance ${time}`,
    customer: (name) => `Client : ${name}`,
    open: 'Ouvrir dans Cairn',
    more: (n) => `… et ${n} de plus dans Cairn.`,
    why: 'Vous recevez cet e-mail en raison de vos préférences de notification dans Cairn.',
    settings: 'Les modifier',
  },
  es: {
    hello: (name) => `Hola, ${name}:`,
    reminderSubject: (subject) => `Recordatorio: ${subject}`,
    notificationSubject: (kind, subject) => `${kind}: ${subject}`,
    digestSubject: (date, n) => `Tu resumen de Cairn del ${date}: ${n} ${n === 1 ? 'notificación' : 'notificaciones'}`,
    digestIntro: (n) =>
      `${n === 1 ? 'Esto es lo que ha pasado' : `Han pasado estas ${n} cosas`} desde tu último resumen.`,
    due: (time) => `Vence ${time}`,
    customer: (name) => `Cliente: ${name}`,
    open: 'Abrir en Cairn',
    more: (n) => `… y ${n} más en Cairn.`,
    why: 'Recibes este correo por tus preferencias de notificación en Cairn.',
    settings: 'Cambiarlas',
  },
  zh: {
    hello: (name) => `${name}，您好：`,
    reminderSubject: (subject) => `提醒：${subject}`,
    notificationSubject: (kind, subject) => `${kind}：${subject}`,
    digestSubject: (date, n) => `Cairn 每日摘要（${date}）：${n} 条通知`,
    digestIntro: (n) => `自上次摘要以来有 ${n} 条新动态。`,
    due: (time) => `到期时间 ${time}`,
    customer: (name) => `客户：${name}`,
    open: '在 Cairn 中打开',
    more: (n) => `……另有 ${n} 条，请在 Cairn 中查看。`,
    why: '您收到此邮件是因为您在 Cairn 中的通知设置。',
    settings: '更改设置',
  },
};

export function languageOf(value: string): Language {
  return value in WORDS ? (value as Language) : 'en';
}

const LOCALES: Record<Language, string> = { en: 'en-GB', de: 'de-DE', fr: 'fr-FR', es: 'es-ES', zh: 'zh-CN' };

function formatTime(instant: string, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(instant),
  );
}

function formatDay(day: string, language: Language): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

/** An app path as an absolute link; anything but a path of the app (`/x…`) is dropped. */
function appLink(appUrl: string, path: string | null): string | null {
  if (!path || !/^\/[^/\\]/.test(path)) return null;
  return new URL(path, appUrl).toString();
}

interface Line {
  label: string;
  headline: string;
  details: string[];
  link: string | null;
}

function lineOf(item: EmailItem, language: Language, timeZone: string, appUrl: string): Line {
  const words = WORDS[language];
  const details: string[] = [];
  if (item.due_at && (item.kind === 'task_due' || item.kind === 'task_assigned')) {
    details.push(words.due(formatTime(item.due_at, language, timeZone)));
  }
  if (item.customer_name) details.push(words.customer(item.customer_name));
  // The body is the event's own text (a close reason, a customer's reply, an error).
  if (item.body && item.kind !== 'task_assigned') details.push(item.body);
  return {
    label: KINDS[language][item.kind] ?? item.kind,
    headline: item.subject ?? item.title,
    details,
    link: appLink(appUrl, item.link),
  };
}

function layout(
  greeting: string,
  intro: string | null,
  lines: Line[],
  tail: string | null,
  language: Language,
  appUrl: string,
) {
  const words = WORDS[language];
  const settings = appLink(appUrl, '/notifications') as string;
  const text = [
    greeting,
    '',
    ...(intro ? [intro, ''] : []),
    ...lines.flatMap((line) => [
      `${line.label}: ${line.headline}`,
      ...line.details.map((detail) => `  ${detail}`),
      ...(line.link ? [`  ${words.open}: ${line.link}`] : []),
      '',
    ]),
    ...(tail ? [tail, ''] : []),
    '—',
    `${words.why} ${words.settings}: ${settings}`,
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family:sans-serif;line-height:1.4">`,
    `<p>${escapeHtml(greeting)}</p>`,
    intro ? `<p>${escapeHtml(intro)}</p>` : '',
    '<ul style="padding-left:1em">',
    ...lines.map(
      (line) =>
        `<li style="margin-bottom:1em"><strong>${escapeHtml(line.label)}:</strong> ${escapeHtml(line.headline)}` +
        line.details.map((detail) => `<br>${escapeHtml(detail)}`).join('') +
        (line.link ? `<br><a href="${escapeHtml(line.link)}">${escapeHtml(words.open)}</a>` : '') +
        '</li>',
    ),
    '</ul>',
    tail ? `<p>${escapeHtml(tail)}</p>` : '',
    `<p style="color:#666;font-size:0.9em">${escapeHtml(words.why)} <a href="${escapeHtml(settings)}">${escapeHtml(words.settings)}</a></p>`,
    '</body></html>',
  ].join('');
  return { text, html };
}

/** The email for a claimed row; throws when it has nothing to say (the caller skips it). */
export function buildNotificationEmail(claimed: ClaimedEmail, options: EmailOptions): OutgoingEmail {
  if (claimed.items.length === 0) throw new RangeError('nothing to send: no notifications');
  const language = languageOf(claimed.language);
  const words = WORDS[language];
  const greeting = words.hello(claimed.recipient_name);
  const lines = claimed.items
    .slice(0, MAX_DIGEST_ITEMS)
    .map((item) => lineOf(item, language, claimed.timezone, options.appUrl));
  const common = {
    to: { email: claimed.recipient_email, name: claimed.recipient_name },
    from: options.from,
    customArgs: { notification_email_id: String(claimed.email_id) },
  };
  if (claimed.digest_date === null) {
    const [item] = claimed.items;
    const [line] = lines;
    const subject =
      item.kind === 'task_due'
        ? words.reminderSubject(line.headline)
        : words.notificationSubject(line.label, line.headline);
    return {
      ...common,
      subject: subject.slice(0, 200),
      ...layout(greeting, null, lines, null, language, options.appUrl),
      categories: ['notification', item.kind],
    };
  }
  const count = claimed.items.length;
  const tail = count > MAX_DIGEST_ITEMS ? words.more(count - MAX_DIGEST_ITEMS) : null;
  return {
    ...common,
    subject: words.digestSubject(formatDay(claimed.digest_date, language), count),
    ...layout(greeting, words.digestIntro(count), lines, tail, language, options.appUrl),
    categories: ['notification', 'digest'],
  };
}
