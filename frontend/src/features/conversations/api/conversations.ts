import { FunctionsHttpError } from '@supabase/supabase-js';
import { queryOptions } from '@tanstack/react-query';

import type { Attachment } from '@/api/attachments.ts';
import { supabase } from '@/lib/supabase.ts';
import type { Database } from '@/types/database.types.ts';

export type EmailPurpose = Database['public']['Enums']['email_purpose'];

/** One key root: every write and every realtime event invalidates it (ADR 0003). */
export const conversationKeys = {
  all: ['conversations'] as const,
  customer: (customerId: string) => [...conversationKeys.all, 'customer', customerId] as const,
  threads: (customerId: string) => [...conversationKeys.customer(customerId), 'threads'] as const,
  thread: (threadId: string) => [...conversationKeys.all, 'thread', threadId] as const,
  inbox: (filter: InboxFilter) => [...conversationKeys.all, 'inbox', filter] as const,
  unmatched: () => [...conversationKeys.all, 'unmatched'] as const,
  templates: () => [...conversationKeys.all, 'templates'] as const,
  preview: (templateId: string, language: string, variables: Record<string, string>) =>
    [...conversationKeys.all, 'preview', templateId, language, variables] as const,
  permission: (customerId: string, purpose: EmailPurpose) =>
    [...conversationKeys.customer(customerId), 'permission', purpose] as const,
};

/** The fields of a customer a message uses: the address, the language, the variables. */
export async function fetchRecipient(customerId: string) {
  const { data, error } = await supabase
    .from('customers')
    .select('id, first_name, last_name, full_name, email, company, language, owner_id')
    .eq('id', customerId)
    .maybeSingle();
  if (error) throw error;
  return data;
}
export type Recipient = NonNullable<Awaited<ReturnType<typeof fetchRecipient>>>;

const THREAD_COLUMNS =
  'id, customer_id, subject, status, read_state, last_message_at, last_inbound_at, unread_count, assignee_id';

export async function fetchCustomerThreads(customerId: string) {
  const { data, error } = await supabase
    .from('message_threads')
    .select(THREAD_COLUMNS)
    .eq('customer_id', customerId)
    .order('last_message_at', { ascending: false, nullsFirst: false })
    .order('id')
    .limit(100);
  if (error) throw error;
  return data;
}
export type ThreadSummary = Awaited<ReturnType<typeof fetchCustomerThreads>>[number];

/** A thread and its messages, oldest first (the 200 newest). */
export async function fetchThread(threadId: string) {
  const [thread, messages] = await Promise.all([
    supabase
      .from('message_threads')
      .select(`${THREAD_COLUMNS}, customer:customers(id, first_name, last_name, email, owner_id)`)
      .eq('id', threadId)
      .maybeSingle(),
    supabase
      .from('messages')
      .select(
        'id, direction, from_address, to_address, subject, body_text, status, error, created_at, read_at, attachments, template_version_id',
      )
      .eq('thread_id', threadId)
      .order('created_at', { ascending: false })
      .order('id')
      .limit(200),
  ]);
  if (thread.error) throw thread.error;
  if (messages.error) throw messages.error;
  return thread.data ? { ...thread.data, messages: [...messages.data].reverse() } : null;
}
export type Thread = NonNullable<Awaited<ReturnType<typeof fetchThread>>>;
export type Message = Thread['messages'][number];

export const INBOX_FILTERS = ['open', 'mine', 'unassigned', 'unread', 'awaiting', 'closed', 'unmatched'] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

/** The inbox's first page under a filter: the threads the member may see (RLS), newest first. */
export async function fetchInbox(filter: InboxFilter, userId: string) {
  let query = supabase
    .from('message_threads')
    .select(`${THREAD_COLUMNS}, customer:customers(id, first_name, last_name, email, owner_id)`)
    .order('last_message_at', { ascending: false, nullsFirst: false })
    .order('id')
    .limit(50);
  query = filter === 'closed' ? query.eq('status', 'closed') : query.eq('status', 'open');
  if (filter === 'mine') query = query.eq('assignee_id', userId);
  if (filter === 'unassigned') query = query.is('assignee_id', null);
  if (filter === 'unread') query = query.eq('read_state', 'unread');
  if (filter === 'awaiting') query = query.in('read_state', ['unread', 'read']);
  const { data, error } = await query;
  if (error) throw error;
  return data;
}
export type InboxThread = Awaited<ReturnType<typeof fetchInbox>>[number];

/** Mail nobody could file: for members who see every customer (others get no rows). */
export async function fetchUnmatched() {
  const { data, error } = await supabase
    .from('inbound_emails')
    .select('id, state, from_address, subject, body_text, error, received_at')
    .neq('state', 'matched')
    .order('received_at', { ascending: false })
    .limit(50);
  if (error) throw error;
  return data;
}
export type UnmatchedEmail = Awaited<ReturnType<typeof fetchUnmatched>>[number];

export async function fetchTemplates() {
  const { data, error } = await supabase
    .from('email_templates')
    .select('id, key, name, purpose, category, variants:email_template_variants(language)')
    .order('name')
    .limit(200);
  if (error) throw error;
  return data;
}
export type TemplateSummary = Awaited<ReturnType<typeof fetchTemplates>>[number];

export async function previewTemplate(templateId: string, language: string, variables: Record<string, string>) {
  const { data, error } = await supabase.rpc('preview_template', {
    template_id: templateId,
    language,
    variables,
  });
  if (error) throw error;
  const [preview] = data;
  if (!preview) throw new Error('no preview');
  return preview;
}
export type Preview = Awaited<ReturnType<typeof previewTemplate>>;

export async function emailPermission(customerId: string, purpose: EmailPurpose) {
  const { data, error } = await supabase.rpc('email_permission', { customer_id: customerId, purpose });
  if (error) throw error;
  return data[0] ?? { allowed: false, reason: 'not_found', email: null };
}

export const recipientOptions = (customerId: string) =>
  queryOptions({
    queryKey: [...conversationKeys.customer(customerId), 'recipient'],
    queryFn: () => fetchRecipient(customerId),
  });
export const customerThreadsOptions = (customerId: string) =>
  queryOptions({ queryKey: conversationKeys.threads(customerId), queryFn: () => fetchCustomerThreads(customerId) });
export const threadOptions = (threadId: string) =>
  queryOptions({ queryKey: conversationKeys.thread(threadId), queryFn: () => fetchThread(threadId) });
export const inboxOptions = (filter: InboxFilter, userId: string) =>
  queryOptions({ queryKey: conversationKeys.inbox(filter), queryFn: () => fetchInbox(filter, userId) });
export const unmatchedOptions = () => queryOptions({ queryKey: conversationKeys.unmatched(), queryFn: fetchUnmatched });
export const templatesOptions = () => queryOptions({ queryKey: conversationKeys.templates(), queryFn: fetchTemplates });
export const previewOptions = (templateId: string, language: string, variables: Record<string, string>) =>
  queryOptions({
    queryKey: conversationKeys.preview(templateId, language, variables),
    queryFn: () => previewTemplate(templateId, language, variables),
  });
export const permissionOptions = (customerId: string, purpose: EmailPurpose) =>
  queryOptions({
    queryKey: conversationKeys.permission(customerId, purpose),
    queryFn: () => emailPermission(customerId, purpose),
  });

// The attachments bucket's limits, uploads and links are shared with the customer 360's notes.
export {
  ATTACHMENT_TYPES,
  attachmentLink,
  attachmentProblem,
  MAX_ATTACHMENT_BYTES,
  uploadAttachments,
  type Attachment,
} from '@/api/attachments.ts';
export interface SendInput {
  customerId: string;
  threadId?: string;
  templateKey?: string;
  message?: { subject: string; body: string };
  variables?: Record<string, string>;
  attachments?: Attachment[];
}

/** A refusal of send-email, with its stable code (conflict: not sent, kept as a draft). */
export class SendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Sends through the send-email function as the member: their JWT, so RLS decides. */
export async function sendMessage(input: SendInput): Promise<{ message_id: string; thread_id: string }> {
  const { data, error } = await supabase.functions.invoke<{ message_id: string; thread_id: string }>('send-email', {
    body: {
      to: { customer_id: input.customerId },
      ...(input.threadId ? { thread_id: input.threadId } : {}),
      ...(input.templateKey ? { template_key: input.templateKey, variables: input.variables ?? {} } : {}),
      ...(input.message ? { message: input.message } : {}),
      ...(input.attachments?.length ? { attachments: input.attachments } : {}),
    },
  });
  if (error instanceof FunctionsHttpError) {
    const body = (await error.context.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new SendError(body?.error?.code ?? 'internal_error', body?.error?.message ?? error.message);
  }
  if (error) throw new SendError('network', error.message);
  if (!data) throw new SendError('internal_error', 'no answer');
  return data;
}

/** Marks the thread's unread inbound messages read (members who may write to the customer). */
export async function markThreadRead(threadId: string): Promise<void> {
  const { error } = await supabase
    .from('messages')
    .update({ read_at: new Date().toISOString() })
    .eq('thread_id', threadId)
    .eq('direction', 'inbound')
    .is('read_at', null);
  if (error) throw error;
}

export async function setThreadStatus(threadId: string, status: 'open' | 'closed'): Promise<void> {
  const { data, error } = await supabase.from('message_threads').update({ status }).eq('id', threadId).select('id');
  if (error) throw error;
  if (data.length === 0) throw new Error('not allowed');
}

export async function assignThread(threadId: string, assigneeId: string | null): Promise<void> {
  const { data, error } = await supabase
    .from('message_threads')
    .update({ assignee_id: assigneeId })
    .eq('id', threadId)
    .select('id');
  if (error) throw error;
  if (data.length === 0) throw new Error('not allowed');
}

/**
 * Files an unmatched email under the customer with this address, as a new thread
 * (link_inbound_email: members who see every customer and may write to this one).
 */
export async function linkInboundEmail(inboundId: string, customerEmail: string): Promise<string> {
  const customer = await supabase
    .from('customers')
    .select('id')
    .ilike(
      'email',
      customerEmail.trim().replace(/[\\%_]/g, (char) => `\\${char}`),
    )
    .limit(1);
  if (customer.error) throw customer.error;
  const id = customer.data[0]?.id;
  if (!id) throw new LinkError('no_customer');
  const { data, error } = await supabase.rpc('link_inbound_email', { inbound_id: inboundId, customer_id: id });
  if (error) throw new LinkError(error.code === '42501' ? 'not_allowed' : 'failed');
  return data;
}

export class LinkError extends Error {
  constructor(readonly reason: 'no_customer' | 'not_allowed' | 'failed') {
    super(reason);
  }
}
