/**
 * Files in the private Storage bucket `attachments`, under `<customer_id>/`: what the bucket takes,
 * uploads and short-lived links. Shared by conversations (a message's files) and the customer 360
 * (an activity's files); Storage's policies decide who may read or write (those who may see, or
 * write to, the customer).
 */
import { supabase } from '@/lib/supabase.ts';

/** What the attachments bucket takes (migration 20261207160300): the app says so before uploading. */
export const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/zip',
  'message/rfc822',
] as const;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Why the bucket would refuse a file, or null. */
export function attachmentProblem(file: { size: number; type: string }): 'tooLarge' | 'type' | null {
  if (file.size > MAX_ATTACHMENT_BYTES) return 'tooLarge';
  if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type)) return 'type';
  return null;
}

export interface Attachment {
  path: string;
  name: string;
  size: number;
  mime: string;
}

/**
 * Uploads a file into the customer's folder (Storage RLS: those who may write to the customer),
 * under `messages/` for a message's files, `notes/` for an activity's.
 */
export async function uploadAttachment(
  customerId: string,
  file: File,
  folder: 'messages' | 'notes' = 'messages',
): Promise<Attachment> {
  // The name in the path is only for people: a fresh folder per file keeps names from colliding.
  const safe =
    file.name
      .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
      .replace(/^\.+/, '')
      .slice(-120) || 'file';
  const path = `${customerId}/${folder}/${crypto.randomUUID()}/${safe}`;
  const { error } = await supabase.storage.from('attachments').upload(path, file, { contentType: file.type });
  if (error) throw error;
  return { path, name: file.name.slice(0, 255), size: file.size, mime: file.type };
}

/**
 * Removes files uploaded for a write that then failed, so nothing is left in the customer's folder
 * that no row points to. Best effort: a file that cannot be removed stays, and the caller still
 * reports the write's own error.
 */
export async function removeAttachments(paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await supabase.storage
    .from('attachments')
    .remove(paths)
    .catch(() => undefined);
}

/**
 * Uploads every file, or none: when one upload fails, those already uploaded are removed again and
 * the failure is thrown.
 */
export async function uploadAttachments(
  customerId: string,
  files: File[],
  folder: 'messages' | 'notes' = 'messages',
): Promise<Attachment[]> {
  const results = await Promise.allSettled(files.map((file) => uploadAttachment(customerId, file, folder)));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  const uploaded = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (failed) {
    await removeAttachments(uploaded.map((file) => file.path));
    throw failed.reason;
  }
  return uploaded;
}

/** A short-lived link to a file of the customer's folder (Storage's policies decide who gets one). */
export async function attachmentLink(path: string): Promise<string> {
  const { data, error } = await supabase.storage.from('attachments').createSignedUrl(path, 60, { download: true });
  if (error) throw error;
  return data.signedUrl;
}
