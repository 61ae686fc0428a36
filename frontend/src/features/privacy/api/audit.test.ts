import { describe, expect, it } from 'vitest';

import { auditArguments, EMPTY_AUDIT_FILTERS } from './audit.ts';

describe('auditArguments', () => {
  it.each([
    ['UTC', '2026-03-01T00:00:00.000Z', '2026-03-08T00:00:00.000Z'],
    ['America/Los_Angeles', '2026-03-01T08:00:00.000Z', '2026-03-08T08:00:00.000Z'],
    ['Asia/Shanghai', '2026-02-28T16:00:00.000Z', '2026-03-07T16:00:00.000Z'],
  ])('reads the days in %s, the last day included', (zone, since, until) => {
    const args = auditArguments({ ...EMPTY_AUDIT_FILTERS, from: '2026-03-01', to: '2026-03-07' }, zone, null);
    expect(args).toMatchObject({ since, until });
  });

  it('sends only the filters set, trimmed, with the page cursor', () => {
    expect(auditArguments({ ...EMPTY_AUDIT_FILTERS, action: 'UPDATE', table: ' customers ' }, 'UTC', 42)).toEqual({
      actor: undefined,
      action_filter: 'UPDATE',
      table_filter: 'customers',
      customer: undefined,
      since: undefined,
      until: undefined,
      before_id: 42,
      page_size: 50,
    });
  });
});
