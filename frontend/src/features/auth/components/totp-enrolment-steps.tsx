import type { UseFormRegisterReturn } from 'react-hook-form';

import { TextField } from '@/components/ui/text-field.tsx';

import type { TotpEnrolment } from '../api/mfa.ts';

export interface TotpEnrolmentText {
  scan: string;
  qrAlt: string;
  manual: string;
  secretLabel: string;
  code: string;
}

/**
 * The three steps of adding an authenticator app — scan the QR code, or type the key, then enter
 * a code — shared by the enrolment a workspace requires and the one a member starts in settings.
 */
export function TotpEnrolmentSteps({
  enrolment,
  text,
  codeField,
  codeError,
}: {
  enrolment: TotpEnrolment;
  text: TotpEnrolmentText;
  codeField: UseFormRegisterReturn<'code'>;
  codeError?: string;
}) {
  return (
    <ol className="enrolment-steps">
      <li>
        <p>{text.scan}</p>
        <img className="qr-code" src={enrolment.qrCode} alt={text.qrAlt} width={180} height={180} />
      </li>
      <li>
        <p>{text.manual}</p>
        <code className="secret" aria-label={text.secretLabel}>
          {enrolment.secret}
        </code>
      </li>
      <li>
        <TextField
          label={text.code}
          inputMode="numeric"
          autoComplete="one-time-code"
          error={codeError}
          {...codeField}
        />
      </li>
    </ol>
  );
}
