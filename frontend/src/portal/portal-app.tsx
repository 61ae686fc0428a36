import { useEffect, useMemo, useState, type ReactNode } from 'react';

import { I18nProvider, useI18n, loadMessages, rememberLanguage, translator, type Language } from './i18n.tsx';
import { Layout } from './components/layout.tsx';
import { navigate, usePath } from './router.tsx';
import { AccountPage } from './screens/account.tsx';
import { AlertsPage } from './screens/alerts.tsx';
import { CataloguePage } from './screens/catalogue.tsx';
import { FavouritesPage } from './screens/favourites.tsx';
import { ForgotPasswordPage, ResetPasswordPage } from './screens/password.tsx';
import { SignInPage } from './screens/sign-in.tsx';
import { SignUpPage } from './screens/sign-up.tsx';
import { WelcomePage } from './screens/welcome.tsx';
import { useSession } from './session.ts';
import styles from './portal.module.css';

type Messages = Awaited<ReturnType<typeof loadMessages>>;

/** Pages for signed-in shoppers; the rest are public. */
const PAGES: Record<string, { page: () => ReactNode; shopper?: boolean }> = {
  '/sign-up': { page: () => <SignUpPage /> },
  '/sign-in': { page: () => <SignInPage /> },
  '/forgot-password': { page: () => <ForgotPasswordPage /> },
  '/reset-password': { page: () => <ResetPasswordPage /> },
  '/welcome': { page: () => <WelcomePage /> },
  '/catalogue': { page: () => <CataloguePage /> },
  '/favourites': { page: () => <FavouritesPage />, shopper: true },
  '/alerts': { page: () => <AlertsPage />, shopper: true },
  '/account': { page: () => <AccountPage />, shopper: true },
};

export function PortalApp({
  initialLanguage,
  initialMessages,
}: {
  initialLanguage: Language;
  initialMessages: Messages;
}) {
  const [language, setLanguageState] = useState(initialLanguage);
  const [messages, setMessages] = useState(initialMessages);
  const i18n = useMemo(
    () => ({
      language,
      t: translator(messages),
      setLanguage: (next: Language) => {
        void loadMessages(next).then((loaded) => {
          rememberLanguage(next);
          setMessages(loaded);
          setLanguageState(next);
        });
      },
    }),
    [language, messages],
  );
  return (
    <I18nProvider value={i18n}>
      <Layout>
        <Routes />
      </Layout>
    </I18nProvider>
  );
}

function Routes() {
  const path = usePath();
  const { ready, session } = useSession();
  const route = PAGES[path];
  const needsSignIn = !route || route.shopper;
  useEffect(() => {
    if (!ready) return;
    if (!route) navigate(session ? '/favourites' : '/catalogue', { replace: true });
    else if (route.shopper && !session) navigate(`/sign-in`, { replace: true });
  }, [ready, route, session]);
  if (!route || (needsSignIn && (!ready || !session))) return <Loading />;
  return route.page();
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className={styles.page} role="status">
      {t('common.loading')}
    </p>
  );
}
