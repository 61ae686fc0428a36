/** The mail catcher's inbox page: newest first, each message expandable, links clickable. */
import type { StoredMail } from './store.ts';

const escape = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

/** `messages` are the newest ones, oldest first; `total` is how many the mailbox holds. */
export function renderInbox(messages: StoredMail[], total = messages.length): string {
  const rows = [...messages]
    .reverse()
    .map((mail) => {
      const body = mail.html
        ? `<iframe title="${escape(mail.subject)}" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" srcdoc="${escape(mail.html)}"></iframe>`
        : `<pre>${escape(mail.text ?? '')}</pre>`;
      // Answer as the recipient: the catcher posts it the way SendGrid Inbound Parse would.
      const replyForm =
        mail.source === 'sendgrid'
          ? `<form method="post" action="/api/v1/message/${escape(mail.id)}/reply"><label>Reply as ${escape(
              mail.to[0]?.email ?? 'the recipient',
            )}<textarea name="text" rows="3" required></textarea></label><button type="submit">Reply</button></form>`
          : '';
      return `<details><summary><time>${escape(mail.created)}</time> <b>${escape(mail.subject)}</b> → ${escape(
        mail.to.map((to) => to.email).join(', '),
      )} <small>(${mail.source})</small></summary>${body}${replyForm}</details>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cairn mail catcher</title>

<style>body{font:14px system-ui;margin:2rem;max-width:60rem}details{border-bottom:1px solid #ddd;padding:.5rem 0}
summary{cursor:pointer}iframe{width:100%;height:24rem;border:1px solid #ccc}time{color:#666}
form label{display:block;margin:.5rem 0}textarea{display:block;width:100%}</style></head>
<body><h1>Cairn mail catcher</h1><p>${total} message(s)${total > messages.length ? `, the newest ${messages.length} shown` : ''}. JSON API: <code>/api/v1/messages</code>.</p>
${rows || '<p>No mail yet.</p>'}</body></html>`;
}
