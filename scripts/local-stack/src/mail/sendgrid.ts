/**
 * The parts of SendGrid's v3 mail-send contract a caller can get wrong, checked the way the
 * real API checks them (status codes and the `{ errors: [{ message, field, help }] }` body),
 * so a function that works against the catcher works against SendGrid.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { MailAddress, OutgoingMail } from '../context.ts';

interface Personalization {
  to?: MailAddress[];
  cc?: MailAddress[];
  bcc?: MailAddress[];
  subject?: string;
  headers?: Record<string, string>;
  substitutions?: Record<string, string>;
  dynamic_template_data?: Record<string, unknown>;
  custom_args?: Record<string, string>;
}

export interface SendGridRequest {
  personalizations: Personalization[];
  from: MailAddress;
  reply_to?: MailAddress;
  subject?: string;
  content?: Array<{ type: string; value: string }>;
  template_id?: string;
  headers?: Record<string, string>;
  categories?: string[];
  custom_args?: Record<string, string>;
  mail_settings?: { sandbox_mode?: { enable?: boolean } };
}

export interface SendGridError {
  message: string;
  field: string | null;
  help: string | null;
}

type Validation = { ok: true; request: SendGridRequest } | { ok: false; status: number; errors: SendGridError[] };

const error = (message: string, field: string | null = null): SendGridError => ({ message, field, help: null });
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function validateSendGridRequest(headers: IncomingHttpHeaders, body: Buffer): Validation {
  const auth = headers.authorization;
  if (!auth || !/^Bearer\s+\S+/i.test(auth)) {
    return {
      ok: false,
      status: 401,
      errors: [error('The provided authorization grant is invalid, expired, or revoked')],
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, status: 400, errors: [error('Bad Request')] };
  }
  if (!isObject(parsed)) return { ok: false, status: 400, errors: [error('Bad Request')] };
  const errors: SendGridError[] = [];
  const request = parsed as unknown as SendGridRequest;

  if (!Array.isArray(request.personalizations) || request.personalizations.length === 0) {
    errors.push(
      error('The personalizations field is required and must have at least one personalization.', 'personalizations'),
    );
  } else if (request.personalizations.length > 1000) {
    errors.push(
      error(
        `The personalization block is limited to 1000 personalizations per API request. You have provided ${request.personalizations.length} personalizations. Please consider splitting this into multiple requests and resending your request.`,
        'personalizations',
      ),
    );
  } else {
    let recipients = 0;
    request.personalizations.forEach((personalization, index) => {
      if (!isObject(personalization) || !Array.isArray(personalization.to) || personalization.to.length === 0) {
        errors.push(
          error(
            'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
            `personalizations.${index}.to`,
          ),
        );
        return;
      }
      for (const list of ['to', 'cc', 'bcc'] as const) {
        const addresses: unknown = personalization[list];
        if (addresses === undefined) continue;
        // Untrusted JSON: a non-array cc/bcc must be a 400, not a crash.
        if (!Array.isArray(addresses)) {
          errors.push(
            error(`The ${list} field must be an array of email objects.`, `personalizations.${index}.${list}`),
          );
          continue;
        }
        for (const address of addresses as unknown[]) {
          recipients += 1;
          if (!isObject(address) || typeof address.email !== 'string' || !EMAIL.test(address.email)) {
            errors.push(error('Does not contain a valid address.', `personalizations.${index}.${list}.email`));
          }
        }
      }
      for (const [key, value] of Object.entries(personalization.custom_args ?? {})) {
        if (typeof value !== 'string')
          errors.push(error(`Custom arg values must be strings (${key}).`, `personalizations.${index}.custom_args`));
      }
      if (personalization.substitutions !== undefined) {
        if (
          !isObject(personalization.substitutions) ||
          Object.values(personalization.substitutions).some((value) => typeof value !== 'string')
        ) {
          errors.push(
            error('Substitutions must be an object of string values.', `personalizations.${index}.substitutions`),
          );
        } else if (Buffer.byteLength(JSON.stringify(personalization.substitutions)) >= 10_000) {
          errors.push(
            error(
              'The total size of your substitutions may not exceed 10,000 bytes per personalization object.',
              `personalizations.${index}.substitutions`,
            ),
          );
        }
      }
      if (personalization.headers !== undefined && !isObject(personalization.headers)) {
        errors.push(error('Headers must be an object of strings.', `personalizations.${index}.headers`));
      }
    });
    // SendGrid delivers one copy per address and request: an address twice is refused.
    const seen = new Set<string>();
    for (const personalization of request.personalizations) {
      if (!isObject(personalization)) continue;
      for (const list of ['to', 'cc', 'bcc'] as const) {
        const addresses: unknown = personalization[list];
        if (!Array.isArray(addresses)) continue;
        for (const address of addresses as unknown[]) {
          if (!isObject(address) || typeof address.email !== 'string') continue;
          const key = address.email.toLowerCase();
          if (seen.has(key)) {
            errors.push(
              error(
                `Each unique email address in the personalizations array should only be included once. You have included ${address.email} more than once.`,
                `personalizations.${list}`,
              ),
            );
          }
          seen.add(key);
        }
      }
    }
    if (recipients > 1000)
      errors.push(error('There is a limit of 1000 total recipients (to + cc + bcc) per request.', 'personalizations'));
  }
  if (!isObject(request.from) || typeof request.from.email !== 'string' || !EMAIL.test(request.from.email)) {
    errors.push(
      error(
        'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.',
        'from.email',
      ),
    );
  }
  const templated = typeof request.template_id === 'string';
  // `every` on an empty list is true; no personalizations means no subject either.
  const everySubject =
    Array.isArray(request.personalizations) &&
    request.personalizations.length > 0 &&
    request.personalizations.every((p) => isObject(p) && typeof p.subject === 'string');
  if (!templated && typeof request.subject !== 'string' && !everySubject) {
    errors.push(
      error(
        'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
        'subject',
      ),
    );
  }
  if (!templated) {
    if (!Array.isArray(request.content) || request.content.length === 0) {
      errors.push(
        error(
          'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
          'content',
        ),
      );
    } else if (
      request.content.some(
        (block) =>
          !isObject(block) || typeof block.type !== 'string' || typeof block.value !== 'string' || block.value === '',
      )
    ) {
      errors.push(error('Content blocks need a type and a non-empty value.', 'content'));
    }
  }
  if (
    request.categories !== undefined &&
    (!Array.isArray(request.categories) ||
      request.categories.length > 10 ||
      request.categories.some((c) => typeof c !== 'string' || c.length > 255))
  ) {
    errors.push(error('Categories must be an array of at most 10 strings of at most 255 characters.', 'categories'));
  }
  for (const [key, value] of Object.entries(request.custom_args ?? {})) {
    if (typeof value !== 'string') errors.push(error(`Custom arg values must be strings (${key}).`, 'custom_args'));
  }
  if (Buffer.byteLength(JSON.stringify(request.custom_args ?? {})) >= 10_000) {
    errors.push(error('The total size of custom arguments must be less than 10000 bytes.', 'custom_args'));
  }
  return errors.length ? { ok: false, status: 400, errors } : { ok: true, request };
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A personalization's substitutions applied as SendGrid applies them to its message's subject
 * and content: every tag replaced by its value, in one pass (a value is not searched again).
 */
export function substitute(value: string | undefined, substitutions: Record<string, string> | undefined) {
  if (value === undefined || !substitutions) return value;
  const tags = Object.keys(substitutions)
    .filter((tag) => tag !== '')
    .sort((a, b) => b.length - a.length);
  if (tags.length === 0) return value;
  return value.replace(new RegExp(tags.map(escapeRegExp).join('|'), 'g'), (tag) => substitutions[tag]);
}

/**
 * One stored mail per personalization, as each is a separate message to its recipients: its
 * own subject, substitutions, headers (over the request's) and custom args (over the request's).
 * Its `raw` is the request with `personalizations` narrowed to that one, so a request with many
 * personalizations is not stored once per recipient in full.
 */
export function mailsFromSendGrid(request: SendGridRequest): OutgoingMail[] {
  const text = request.content?.find((block) => block.type === 'text/plain')?.value;
  const html = request.content?.find((block) => block.type === 'text/html')?.value;
  return request.personalizations.map((personalization) => ({
    source: 'sendgrid' as const,
    from: request.from,
    to: personalization.to ?? [],
    cc: personalization.cc,
    bcc: personalization.bcc,
    replyTo: request.reply_to,
    subject:
      substitute(personalization.subject ?? request.subject, personalization.substitutions) ??
      `(template ${request.template_id})`,
    text: substitute(text, personalization.substitutions),
    html: substitute(html, personalization.substitutions),
    headers: { ...request.headers, ...personalization.headers },
    raw: { ...request, personalizations: [personalization] },
  }));
}

/** The statuses POST /api/v1/faults can make the next mail sends answer. */
export const FAULT_STATUSES = [401, 403, 429, 500, 502, 503] as const;

/** `{ status, count }` from the faults endpoint's body, or what is wrong with it. */
export function parseFault(text: string): { status: number; count: number } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'the body must be JSON: { "status": 503, "count": 1 }' };
  }
  if (!isObject(value)) return { error: 'the body must be a JSON object: { "status": 503, "count": 1 }' };
  const { status, count = 1 } = value;
  if (!FAULT_STATUSES.includes(status as (typeof FAULT_STATUSES)[number]))
    return { error: `status: one of ${FAULT_STATUSES.join(', ')}` };
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 10_000)
    return { error: 'count: a whole number from 1 to 10000' };
  return { status: status as number, count: count as number };
}

/** What SendGrid answers a mail send with, for each status a fault can ask for. */
export function faultAnswer(status: number): { status: number; headers: Record<string, string>; body: string } {
  const json = (message: string, headers: Record<string, string> = {}) => ({
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ errors: [error(message)] }),
  });
  switch (status) {
    case 401:
      return json('The provided authorization grant is invalid, expired, or revoked');
    case 403:
      return json('The from address does not match a verified Sender Identity.');
    case 429:
      return json('too many requests', { 'retry-after': '2', 'x-ratelimit-remaining': '0' });
    default:
      // An outage: what stands in front of SendGrid answers, not the API.
      return {
        status,
        headers: { 'content-type': 'text/html' },
        body: `<html><body>${status} Service Unavailable</body></html>`,
      };
  }
}
