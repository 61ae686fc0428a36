import { Paperclip } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { attachmentLink } from '@/api/attachments.ts';

import styles from './attachment-list.module.css';

export interface AttachedFile {
  path: string;
  name: string;
  size: number;
}

/**
 * The files of a message or an activity. Each download asks Storage for a signed link as the member (its policies
 * decide; the link lives a minute) and follows it: the file comes as an attachment, so the page
 * stays. A refusal is said next to the files.
 */
export function AttachmentList({ files }: { files: AttachedFile[] }) {
  const { t } = useTranslation('messages');
  const [failed, setFailed] = useState<string | null>(null);
  const download = async (file: AttachedFile) => {
    setFailed(null);
    try {
      window.location.assign(await attachmentLink(file.path));
    } catch {
      setFailed(file.name);
    }
  };
  return (
    <>
      <ul className={styles.list} aria-label={t('attachments')}>
        {files.map((file) => (
          <li key={file.path}>
            <button type="button" className={styles.fileLink} onClick={() => void download(file)}>
              <Paperclip aria-hidden="true" size={14} /> {t('download', { name: file.name })}
            </button>
          </li>
        ))}
      </ul>
      {failed ? (
        <p role="alert" className={styles.error}>
          {t('errors.download', { name: failed })}
        </p>
      ) : null}
    </>
  );
}
