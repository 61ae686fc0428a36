import { create } from 'zustand';

import type { Language } from '@/lib/i18n.ts';

interface PreferencesState {
  /** The viewer's IANA zone from their profile; every date on screen is shown in it. */
  timeZone: string;
  language: Language;
  setPreferences: (preferences: { timeZone: string; language: Language }) => void;
}

/**
 * How the signed-in person wants to see dates and text. Part of the session (style.md allows a
 * global store for it): set from their team_members row when the shell loads and when they change it.
 */
export const usePreferencesStore = create<PreferencesState>()((set) => ({
  timeZone: 'UTC',
  language: 'en',
  setPreferences: ({ timeZone, language }) => set({ timeZone, language }),
}));

/** The zone and language that lib/dates and lib/format need, from the store. */
export function useZoneAndLanguage() {
  const timeZone = usePreferencesStore((state) => state.timeZone);
  const language = usePreferencesStore((state) => state.language);
  return { timeZone, language };
}
