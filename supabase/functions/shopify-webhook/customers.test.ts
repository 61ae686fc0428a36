import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { fixture, parse, failure } from './fixtures/payloads.ts';

Deno.test('customers/update maps consent, tags, address and a normalized email', () => {
  const parsed = parse('customers/update', fixture('customers-update'));
  deepStrictEqual(parsed, {
    kind: 'customer',
    record: {
      shopifyId: 7123456789012,
      email: 'Jane.Doe@Example.com',
      emailNormalized: 'jane.doe@example.com',
      firstName: 'Jane',
      lastName: 'Doe-Martin',
      phone: '+33612345678',
      state: 'enabled',
      verifiedEmail: true,
      currency: 'EUR',
      note: 'Prefers email',
      tags: ['newsletter', 'vip'],
      emailMarketingConsent: {
        state: 'subscribed',
        optInLevel: 'confirmed_opt_in',
        updatedAt: '2024-11-02T09:00:00+01:00',
      },
      defaultAddress: {
        name: 'Jane Doe-Martin',
        company: null,
        line1: '5 Avenue Foch',
        line2: null,
        city: 'Lyon',
        region: 'Auvergne-Rhône-Alpes',
        countryCode: 'FR',
        postalCode: '69006',
        phone: null,
      },
      createdAt: '2024-11-02T09:00:00+01:00',
      updatedAt: '2025-03-15T08:00:00-05:00',
    },
  });
});

Deno.test('customers/create (API ≥ 2025-01 shape) has no email, tags or consent', () => {
  const parsed = parse('customers/create', fixture('customers-create'));
  if (parsed.kind !== 'customer') throw new Error('customer expected');
  strictEqual(parsed.record.email, null);
  strictEqual(parsed.record.emailNormalized, null);
  deepStrictEqual(parsed.record.tags, []);
  strictEqual(parsed.record.emailMarketingConsent, null);
  strictEqual(parsed.record.defaultAddress, null);
  strictEqual(parsed.record.currency, 'JPY');
  strictEqual(failure('customers/update', { email: 'a@b.co' }).startsWith('id: '), true);
});
