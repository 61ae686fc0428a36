// jest-dom matchers (toBeInTheDocument, toHaveAccessibleDescription…) and a clean DOM per test.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll } from 'vitest';

import { initI18n, setLanguage } from '@/lib/i18n.ts';

import { allResources } from './i18n.ts';

// Tests read the English UI, as the default; a test that switches language switches back.
beforeAll(() => initI18n('en', allResources()));

afterEach(async () => {
  cleanup();
  await setLanguage('en');
});
