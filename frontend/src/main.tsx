import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app/app.tsx';
import { preloadRoute } from './app/router.tsx';
import { initI18n } from './lib/i18n.ts';
import './app/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html must contain <div id="root">');

// Someone coming back with a stored session is going to the page in the address bar: fetch its
// code now, alongside the language and the session check, not after them.
if (hasStoredSession()) preloadRoute(window.location.pathname);

// The language's strings are loaded before the first render, so nobody sees a flash of English.
void initI18n().then(() =>
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);

/** supabase-js keeps the session in localStorage under `sb-<project>-auth-token`. */
function hasStoredSession(): boolean {
  try {
    return Object.keys(window.localStorage).some((key) => key.startsWith('sb-') && key.endsWith('-auth-token'));
  } catch {
    return false;
  }
}
