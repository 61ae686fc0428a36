// jest-dom matchers (toBeInTheDocument, toHaveAccessibleDescription…) and a clean DOM per test.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeAll } from 'vitest';

import { initI18n, setLanguage } from '@/lib/i18n.ts';

import { allResources } from './i18n.ts';

// npm test runs these beside the stack tests at a lower CPU priority: on two busy cores a screen
// can take longer than Testing Library's 1 s default to show what a findBy… waits for.
configure({ asyncUtilTimeout: 5_000 });

// Tests read the English UI, as the default; a test that switches language switches back.
beforeAll(() => initI18n('en', allResources()));

afterEach(async () => {
  cleanup();
  await setLanguage('en');
});
