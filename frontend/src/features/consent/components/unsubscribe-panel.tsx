import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';

import { unsubscribe, type UnsubscribeProblem } from '../api/unsubscribe.ts';

const PURPOSES = ['alerts', 'marketing', 'newsletter', 'profiling'] as const;
const CHANNELS = ['email', 'sms', 'phone', 'post', 'push'] as const;

/** `email:alerts` from the link, checked against the words the page has; null if unknown. */
function parsePurpose(value: string | null) {
  const [channel, purpose] = (value ?? '').split(':');
  const knownChannel = CHANNELS.find((known) => known === channel);
  const knownPurpose = PURPOSES.find((known) => known === purpose);
  return knownChannel && knownPurpose ? { channel: knownChannel, purpose: knownPurpose } : null;
}

export interface UnsubscribePanelProps {
  token: string | null;
  /** `channel:purpose`, as the unsubscribe function put it in the link. */
  purpose: string | null;
  /** What the function found wrong with the link (`expired`, `invalid`), if anything. */
  linkError: string | null;
}

/**
 * The page behind the unsubscribe link in a shopper's email: says what the link turns off, asks
 * once, and confirms. Nothing changes until the button is pressed (link scanners open links).
 */
export function UnsubscribePanel({ token, purpose, linkError }: UnsubscribePanelProps) {
  const { t } = useTranslation('consent');
  const target = parsePurpose(purpose);
  const [state, setState] = useState<'asking' | 'pending' | 'done' | UnsubscribeProblem>(
    linkError === 'expired' ? 'expired' : linkError || !token || !target ? 'invalid' : 'asking',
  );
  const what = target
    ? t('what', { purpose: t(`purposes.${target.purpose}`), channel: t(`channels.${target.channel}`) })
    : '';

  if (state === 'expired' || state === 'invalid') {
    return (
      <p role="alert" className="form-error">
        {t(state === 'expired' ? 'expired' : 'invalid')}
      </p>
    );
  }
  if (state === 'done') {
    return (
      <p role="status" className="form-success">
        {t('done', { what })}
      </p>
    );
  }
  return (
    <form
      aria-label={t('title')}
      onSubmit={(event) => {
        event.preventDefault();
        if (!token) return;
        setState('pending');
        void unsubscribe(token).then((result) => setState(result.ok ? 'done' : result.problem));
      }}
    >
      <p>{t('question', { what })}</p>
      {state === 'failed' && (
        <p role="alert" className="form-error">
          {t('failed')}
        </p>
      )}
      <Button type="submit" pending={state === 'pending'} pendingLabel={t('pending')}>
        {t('submit')}
      </Button>
    </form>
  );
}
