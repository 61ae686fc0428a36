/**
 * inbound-email's database and Storage ports. The caller is SendGrid, not a Cairn user: there is
 * no JWT to act as, so the service role files the mail (receive_inbound_email and
 * attach_inbound_files are granted to it alone) and stores the files.
 */
import type { Database, Db } from '../_shared/supabase-clients.ts';
import type { InboundDeps, Received } from './handler.ts';

type Json = Database['public']['Functions']['receive_inbound_email']['Args']['mail'];

export function inboundDatabase(system: Db): Pick<InboundDeps, 'receive' | 'upload' | 'attach'> {
  return {
    async receive(mail) {
      const { data, error } = await system.rpc('receive_inbound_email', { mail: mail as unknown as Json });
      if (error) throw error;
      return data[0] as Received;
    },
    async upload(path, bytes, mime) {
      const { error } = await system.storage
        .from('attachments')
        .upload(path, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }), {
          upsert: true,
          contentType: mime,
        });
      if (!error) return null;
      // The bucket's limits (20261207160300): a file it does not take is listed, not retried.
      const status = String((error as { statusCode?: string | number }).statusCode ?? '');
      if (status === '413') return 'larger than the attachments bucket takes';
      if (status === '415') return `type ${mime} is not accepted`;
      throw error;
    },
    async attach(inboundId, files) {
      const { error } = await system.rpc('attach_inbound_files', {
        inbound_id: inboundId,
        files: files as unknown as Json,
      });
      if (error) throw error;
    },
  };
}
