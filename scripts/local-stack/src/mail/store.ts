/**
 * The mail catcher's mailbox: the newest messages in memory, mirrored to a JSON-lines file so
 * they survive a restart. The catcher shares the supervisor process with every other part of
 * the stack, so nothing here may block it or fail its start:
 * - each stored message is capped (bodies truncated and marked), and the mailbox keeps only
 *   the newest messages within a count and a byte budget, rewriting the file when it trims;
 * - writes are asynchronous and queued one after another; a failed write is logged, never thrown;
 * - the file is read in chunks at start-up, from its tail when it is bigger than the budget;
 *   lines that do not parse, or are longer than a message may be, are skipped.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { appendFile, rename, writeFile } from 'node:fs/promises';
import type { Logger } from '../lib/log.ts';
import type { OutgoingMail } from '../context.ts';

export interface StoredMail extends OutgoingMail {
  id: string;
  messageId: string;
  created: string;
  /** Set when the catcher cut the message down to MAX_MESSAGE_BYTES. */
  truncated?: boolean;
}

/** What identifies a message: who sent it to whom, when, through which door, about what. */
export function envelope(
  mail: StoredMail,
): Pick<StoredMail, 'id' | 'messageId' | 'created' | 'source' | 'from' | 'to' | 'subject'> {
  const { id, messageId, created, source, from, to, subject } = mail;
  return { id, messageId, created, source, from, to, subject };
}

/** One stored message, as JSON, at most. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** The mailbox keeps the newest messages within both limits. */
export const MAX_MESSAGES = 2000;
export const MAX_MAILBOX_BYTES = 64 * 1024 * 1024;

const BODY_SHARE = { text: 256 * 1024, html: 512 * 1024 };
const RAW_CONTENT_LIMIT = 4 * 1024;

const size = (mail: StoredMail) => Buffer.byteLength(JSON.stringify(mail));

function cut(value: string | undefined, limit: number): string | undefined {
  if (value === undefined || value.length <= limit) return value;
  return `${value.slice(0, limit)}\n[… ${value.length - limit} characters cut by the Cairn mail catcher]`;
}

/** The raw SendGrid body with long content blocks and attachments replaced by a note. */
function trimRaw(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const request = raw as Record<string, unknown>;
  const trimmed: Record<string, unknown> = { ...request };
  if (Array.isArray(request.content)) {
    trimmed.content = request.content.map((block: unknown) => {
      if (!block || typeof block !== 'object') return block;
      const { type, value } = block as { type?: unknown; value?: unknown };
      return { type, value: typeof value === 'string' ? cut(value, RAW_CONTENT_LIMIT) : value };
    });
  }
  if (Array.isArray(request.attachments)) {
    trimmed.attachments = request.attachments.map((attachment: unknown) => {
      if (!attachment || typeof attachment !== 'object') return attachment;
      const { content: _content, ...rest } = attachment as Record<string, unknown>;
      return { ...rest, content: '[cut by the Cairn mail catcher]' };
    });
  }
  return trimmed;
}

/** Characters of body text a message carries, counted without serialising it. */
function bodyChars(mail: StoredMail): number {
  let chars = (mail.text?.length ?? 0) + (mail.html?.length ?? 0);
  const content = (mail.raw as { content?: unknown } | undefined)?.content;
  if (Array.isArray(content)) {
    for (const block of content as Array<{ value?: unknown }>)
      if (typeof block?.value === 'string') chars += block.value.length;
  }
  return chars;
}

/**
 * The message as stored: unchanged when it fits MAX_MESSAGE_BYTES, else cut down and marked.
 * Big bodies are cut before anything is serialised: one request may carry 30 MB of HTML for
 * each of 1000 personalizations.
 */
export function capMessage(mail: StoredMail): StoredMail {
  if (bodyChars(mail) <= MAX_MESSAGE_BYTES / 2 && size(mail) <= MAX_MESSAGE_BYTES) return mail;
  const capped: StoredMail = {
    ...mail,
    text: cut(mail.text, BODY_SHARE.text),
    html: cut(mail.html, BODY_SHARE.html),
    raw: trimRaw(mail.raw),
    truncated: true,
  };
  if (size(capped) <= MAX_MESSAGE_BYTES) return capped;
  // Still too big (thousands of recipients, giant headers): keep only what identifies it.
  return {
    ...envelope(mail),
    to: mail.to.slice(0, 50),
    subject: mail.subject.slice(0, 1000),
    text: '[message too large for the Cairn mail catcher; its body was dropped]',
    truncated: true,
  };
}

interface Entry {
  mail: StoredMail;
  bytes: number;
}

export class MailStore {
  private entries: Entry[] = [];
  private bytes = 0;
  /** Every write runs after the previous one, so the file keeps the order of the mailbox. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  get messages(): readonly StoredMail[] {
    return this.entries.map((entry) => entry.mail);
  }

  /** The newest `count` messages, oldest first. */
  newest(count: number): StoredMail[] {
    return this.entries.slice(-count).map((entry) => entry.mail);
  }

  find(id: string): StoredMail | undefined {
    return this.entries.find((entry) => entry.mail.id === id)?.mail;
  }

  /** Reads the file; never throws. Rewrites it when lines were skipped or the mailbox was trimmed. */
  async load(): Promise<void> {
    if (!existsSync(this.file)) return;
    let skipped = 0;
    try {
      const total = statSync(this.file).size;
      const start = Math.max(0, total - MAX_MAILBOX_BYTES);
      // Past the budget only the tail is read; its first, partial line counts as skipped.
      skipped += await forEachLine(this.file, start, MAX_MESSAGE_BYTES + 1024, (text) => {
        const mail = parseLine(text);
        if (mail) this.push(mail, Buffer.byteLength(text) + 1);
        else if (text.trim()) skipped += 1;
      });
      if (start > 0) skipped += 1;
    } catch (error) {
      this.log.error(`could not read ${this.file}; starting with what was read`, error);
      skipped += 1;
    }
    if (skipped || this.trim()) {
      this.log.warn(`mail store: ${skipped} unreadable line(s) skipped; rewriting ${this.file}`);
      this.rewrite();
    }
  }

  /** Stores a message (capped) and queues its write; returns at once. */
  add(mail: StoredMail): StoredMail {
    const stored = capMessage(mail);
    const json = JSON.stringify(stored);
    this.push(stored, Buffer.byteLength(json) + 1);
    if (this.trim()) this.rewrite();
    else this.queue(() => appendFile(this.file, `${json}\n`));
    return stored;
  }

  clear(): void {
    this.entries = [];
    this.bytes = 0;
    this.rewrite();
  }

  /** Resolves once every queued write has finished. */
  flush(): Promise<void> {
    return this.writing;
  }

  private push(mail: StoredMail, bytes: number): void {
    this.entries.push({ mail, bytes });
    this.bytes += bytes;
  }

  /** Drops the oldest messages past the limits, down to ¾ of them so trims stay rare. */
  private trim(): boolean {
    if (this.entries.length <= MAX_MESSAGES && this.bytes <= MAX_MAILBOX_BYTES) return false;
    let drop = 0;
    let bytes = this.bytes;
    while (
      drop < this.entries.length &&
      (this.entries.length - drop > (MAX_MESSAGES * 3) / 4 || bytes > (MAX_MAILBOX_BYTES * 3) / 4)
    ) {
      bytes -= this.entries[drop].bytes;
      drop += 1;
    }
    this.entries = this.entries.slice(drop);
    this.bytes = bytes;
    return true;
  }

  /** Replaces the file with the mailbox as it is now (a new file, renamed over the old one). */
  private rewrite(): void {
    const text = this.entries.map((entry) => `${JSON.stringify(entry.mail)}\n`).join('');
    const temporary = `${this.file}.tmp`;
    this.queue(async () => {
      await writeFile(temporary, text);
      await rename(temporary, this.file);
    });
  }

  private queue(write: () => Promise<void>): void {
    this.writing = this.writing.then(write).catch((error: unknown) => {
      this.log.error(`could not write ${this.file}`, error);
    });
  }
}

function parseLine(line: string): StoredMail | null {
  if (!line.trim()) return null;
  try {
    const value = JSON.parse(line) as Partial<StoredMail> | null;
    if (!value || typeof value !== 'object' || typeof value.id !== 'string' || !Array.isArray(value.to)) return null;
    return capMessage(value as StoredMail);
  } catch {
    return null;
  }
}

/**
 * Calls `onLine` for each line of the file from byte `start` (from the first line that begins
 * there or after), without ever holding more than `maxLine` bytes of one line. Returns how
 * many lines were longer and skipped.
 */
async function forEachLine(
  file: string,
  start: number,
  maxLine: number,
  onLine: (text: string) => void,
): Promise<number> {
  let skipped = 0;
  let parts: Buffer[] = [];
  let length = 0;
  // A line begun before `start` is dropped like an overlong one, but not counted.
  let dropping = start > 0;
  let overlong = false;
  const append = (piece: Buffer) => {
    if (dropping || overlong || !piece.length) return;
    if (length + piece.length > maxLine) {
      overlong = true;
      parts = [];
      length = 0;
      return;
    }
    parts.push(piece);
    length += piece.length;
  };
  const end = () => {
    if (overlong) skipped += 1;
    else if (!dropping) onLine(Buffer.concat(parts, length).toString('utf8'));
    parts = [];
    length = 0;
    overlong = false;
    dropping = false;
  };
  for await (const chunk of createReadStream(file, { start, highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let newline = chunk.indexOf(10, from); newline !== -1; newline = chunk.indexOf(10, from)) {
      append(chunk.subarray(from, newline));
      end();
      from = newline + 1;
    }
    append(chunk.subarray(from));
  }
  if (length || overlong) end();
  return skipped;
}
