/** What every part of the local stack receives from the supervisor. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StackConfig, StackPorts } from './config.ts';
import type { Pool } from './lib/db.ts';
import type { Logger } from './lib/log.ts';
import type { ProjectSettings } from './settings.ts';

export interface MailAddress {
  email: string;
  name?: string;
}

/** One email as the mail catcher stores it, whether auth sent it or a function posted it to the SendGrid API. */
export interface OutgoingMail {
  from: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  bcc?: MailAddress[];
  replyTo?: MailAddress;
  subject: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
  /** Where it came from: `auth` or `sendgrid`. */
  source: 'auth' | 'sendgrid';
  /** For SendGrid mail: the request body as received, custom_args and categories included. */
  raw?: unknown;
}

export interface MailSink {
  deliver(mail: OutgoingMail): Promise<{ id: string }>;
}

export interface StackContext {
  config: StackConfig;
  settings: ProjectSettings;
  /** Superuser pool (`supabase_admin`) for the platform services. */
  db: Pool;
  log: Logger;
  mail: MailSink;
  /**
   * Request handlers of the parts already running in this process, by port name: the gateway
   * hands a request to one of them directly instead of over a local socket.
   */
  handlers?: Partial<Record<keyof StackPorts, RequestHandler>>;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A running part of the stack: listens on its own port, closes cleanly. */
export interface Service {
  name: string;
  close(): Promise<void>;
  /** The same handler its port serves, for the gateway to call in-process. */
  handler?: RequestHandler;
}
