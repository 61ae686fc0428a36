import { ChevronDown, LogOut } from 'lucide-react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { RoleBadge } from '@/components/role-badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { signOut } from '@/features/auth/api/sign-out.ts';
import { useUpdateOwnProfile } from '@/features/team/hooks/use-own-profile.ts';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from '@/lib/i18n.ts';
import { queryClient } from '@/lib/query-client.ts';
import { timeZoneOptions } from '@/lib/time-zone-options.ts';
import { useViewer } from '@/lib/viewer.ts';
import { toast } from '@/stores/toast-store.ts';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

/**
 * Who is signed in, their language and time zone, and sign-out. A disclosure, not an ARIA menu:
 * it holds form controls, which a role="menu" must not contain.
 */
export function UserMenu() {
  const member = useViewer();
  const { t, i18n } = useTranslation('shell');
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const update = useUpdateOwnProfile();
  // Some 400 zones, each with its offset: built when the menu opens, not on every page load.
  const zones = useMemo(() => (open ? timeZoneOptions(member.timeZone) : []), [open, member.timeZone]);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  function save(change: { language?: string; timeZone?: string }) {
    const language = isLanguage(change.language) ? change.language : undefined;
    update.mutate(
      { language, timeZone: change.timeZone },
      {
        // i18n.t, not t: the render's t is fixed to the language before this change.
        onSuccess: () => toast.success(i18n.t('shell:userMenu.saved')),
        onError: () => toast.error(i18n.t('shell:userMenu.saveFailed')),
      },
    );
  }

  async function handleSignOut() {
    setSigningOut(true);
    await signOut();
    // The next person to sign in on this browser must not see this one's cached data.
    queryClient.clear();
  }

  return (
    <div className="user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(member.fullName)}
        </span>
        <span className="user-menu-name">{member.fullName}</span>
        <span className="visually-hidden">{t('userMenu.label')}</span>
        <ChevronDown aria-hidden="true" size={16} />
      </button>
      {open ? (
        <div id={panelId} className="user-menu-panel" role="group" aria-label={t('userMenu.label')}>
          <div className="user-menu-identity">
            <strong>{member.fullName}</strong>
            <span>{member.email}</span>
            <RoleBadge role={member.role} label={t(`roles.${member.role}`)} className="user-menu-role" />
          </div>
          <SelectField
            label={t('userMenu.language')}
            value={member.language}
            options={LANGUAGES.map((language) => ({
              value: language,
              label: LANGUAGE_NAMES[language],
              lang: language,
            }))}
            onChange={(event) => save({ language: event.target.value })}
          />
          <SelectField
            label={t('userMenu.timeZone')}
            value={member.timeZone}
            options={zones}
            onChange={(event) => save({ timeZone: event.target.value })}
          />
          <Button
            variant="secondary"
            pending={signingOut}
            pendingLabel={t('userMenu.signingOut')}
            onClick={handleSignOut}
          >
            <LogOut aria-hidden="true" size={16} /> {t('userMenu.signOut')}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
