import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { loadMessages, preferredLanguage, rememberLanguage } from './i18n.tsx';
import { PortalApp } from './portal-app.tsx';
import { startSession } from './session.ts';
import './portal.css';

const container = document.getElementById('root');
if (!container) throw new Error('portal/index.html must contain <div id="root">');

startSession();
const language = preferredLanguage();
rememberLanguage(language);
// The language's strings arrive before the first render: nobody sees a flash of English.
void loadMessages(language).then((messages) =>
  createRoot(container).render(
    <StrictMode>
      <PortalApp initialLanguage={language} initialMessages={messages} />
    </StrictMode>,
  ),
);
