import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { StaleRateMark } from './stale-rate-mark.tsx';

describe('StaleRateMark', () => {
  beforeEach(() => {
    usePreferencesStore.setState({ timeZone: 'Europe/Madrid', language: 'en' });
  });

  it('says an amount was converted with a stale rate, naming the rate’s day', () => {
    render(<StaleRateMark stale rateDate="2026-11-20" />);
    const mark = screen.getByRole('img');
    expect(mark).toHaveAccessibleName(/approximate/i);
    expect(mark.getAttribute('aria-label')).toMatch(/2026|Nov/);
  });

  it('says when there was no rate at all, and nothing for a current rate', () => {
    const { rerender } = render(<StaleRateMark stale rateDate={null} />);
    expect(screen.getByRole('img')).toHaveAccessibleName(/no exchange rate/i);
    rerender(<StaleRateMark stale={false} rateDate="2026-12-06" />);
    expect(screen.queryByRole('img')).toBeNull();
  });
});
