import { describe, expect, it } from 'vitest';
import { mapSupplier, normalizeVendorName } from '../../../lambdas/mapping/vendor';
import { hashTaxId } from '../../../lambdas/shared/hash';
import { buildSupplier, SEALED_EIN, wid } from './builders';

describe('mapSupplier()', () => {
  it('maps a supplier to a vendor command keyed by its WID', () => {
    const command = mapSupplier(buildSupplier());

    expect(command).toEqual({
      resource: 'vendor',
      originId: wid('supplier-1'),
      payload: {
        name: 'Acme Concrete, Inc.',
        origin_id: wid('supplier-1'),
        origin_code: 'S-0001',
        origin_data: '{"workdaySupplierName":"Acme Concrete, Inc."}',
        is_active: true,
        address: '100 Main St, Suite 4',
        city: 'Springfield',
        zip: '62701',
        state_code: 'IL',
        country_code: 'US',
        business_phone: '+1 217 555 0100',
        email_address: 'ap@acme.example',
        website: 'https://acme.example',
        business_register_attributes: { type: 'EIN', sealed: SEALED_EIN },
      },
      match: { taxIdHash: hashTaxId('123456789'), normalizedName: 'acme concrete' },
    });
  });

  it.each([
    ['INACTIVE', false],
    ['inactive', false],
    ['ACTIVE', true],
    [undefined, true],
  ])('sets is_active from status %s', (status, active) => {
    const supplier = buildSupplier();
    const withStatus = status === undefined ? (({ status: _s, ...rest }) => rest)(supplier) : { ...supplier, status };

    expect(mapSupplier(withStatus).payload.is_active).toBe(active);
  });

  it.each([
    '  Smith & Sons <Masonry> "Best" Ltd  ',
    'Société Générale d’Électricité',
    'Bau 🏗️ GmbH',
    "O'Brien's Plumbing",
  ])('preserves the name %j (outer spaces trimmed)', (name) => {
    expect(mapSupplier(buildSupplier({ name })).payload.name).toBe(name.trim());
  });

  it('truncates a long name at a word boundary with … and keeps the full name in origin_data', () => {
    const name = `${'Northwestern Regional Concrete '.repeat(10)}Holdings`;

    const { payload } = mapSupplier(buildSupplier({ name }));

    expect(Array.from(payload.name).length).toBeLessThanOrEqual(255);
    expect(
      payload.name.endsWith('Concrete…') ||
        payload.name.endsWith('Regional…') ||
        payload.name.endsWith('Northwestern…'),
    ).toBe(true);
    expect(name.startsWith(payload.name.slice(0, -1))).toBe(true);
    expect(JSON.parse(payload.origin_data)).toEqual({ workdaySupplierName: name });
  });

  it('never splits an emoji when truncating', () => {
    const name = '🏗️'.repeat(200);

    const truncated = mapSupplier(buildSupplier({ name })).payload.name;

    expect(Array.from(truncated).length).toBeLessThanOrEqual(255);
    expect(truncated.replace('…', '')).toBe('🏗️'.repeat((Array.from(truncated).length - 1) / 2));
  });

  it('sends only ISO alpha-2 country and state codes', () => {
    const payload = (address: object) => mapSupplier(buildSupplier({ address: { lines: [], ...address } })).payload;

    expect(payload({ country: 'USA', region: 'California' })).not.toHaveProperty('country_code');
    expect(payload({ country: 'USA', region: 'California' })).not.toHaveProperty('state_code');
    expect(payload({ country: 'au', region: 'AU-NSW' })).toMatchObject({ country_code: 'AU', state_code: 'NSW' });
    expect(payload({ region: 'US-CA' })).toMatchObject({ country_code: 'US', state_code: 'CA' });
    expect(payload({ country: 'US', region: 'CA-ON' })).not.toHaveProperty('state_code');
    expect(payload({ country: 'US', region: 'TX' })).toMatchObject({ state_code: 'TX' });
  });

  it('leaves out empty address and contact fields', () => {
    const { payload } = mapSupplier(
      buildSupplier({ address: { lines: ['', '  '] }, phone: ' ', email: '', website: undefined }),
    );

    for (const field of ['address', 'city', 'zip', 'business_phone', 'email_address', 'website']) {
      expect(payload).not.toHaveProperty(field);
    }
  });

  it.each([
    ['ABN', { type: 'ABN', sealed: SEALED_EIN }],
    ['USA-EIN', { type: 'EIN', sealed: SEALED_EIN }],
    ['FEIN', { type: 'EIN', sealed: SEALED_EIN }],
    ['AUS-ABN', { type: 'ABN', sealed: SEALED_EIN }],
    ['Employer Identification Number (EIN)', { type: 'EIN', sealed: SEALED_EIN }],
    ['USA-SSN', undefined],
    ['VAT', undefined],
    ['REINSURANCE', undefined],
  ])('passes a sealed %s tax ID on, still sealed, only when it is an EIN or ABN', (type, expected) => {
    const hash = hashTaxId('51 824 753 556');
    const { payload, match } = mapSupplier(buildSupplier({ taxId: { type, hash, sealed: SEALED_EIN } }));

    expect(payload.business_register_attributes).toEqual(expected);
    expect(match.taxIdHash).toBe(hash);
  });

  it('does not send an EIN whose value was not kept', () => {
    const { payload } = mapSupplier(buildSupplier({ taxId: { type: 'EIN', hash: hashTaxId('1') } }));

    expect(payload).not.toHaveProperty('business_register_attributes');
  });
});

describe('normalizeVendorName()', () => {
  it.each([
    ['Acme Concrete, Inc.', 'acme concrete'],
    ['ACME CONCRETE INCORPORATED', 'acme concrete'],
    ['Acme   Concrete L.L.C.', 'acme concrete'],
    ['Acme Concrete Co., Ltd.', 'acme concrete'],
    ['Acme Concrete Pty Ltd', 'acme concrete'],
    ['Acme-Concrete Corp', 'acme concrete'],
    ['Ácmé Cöncrete GmbH', 'acme concrete'],
    ['Smith & Sons', 'smith and sons'],
    ['A.B.C. Supply', 'abc supply'],
    ['The Company Store LLP', 'the company store'],
    ['Company', 'company'],
    ['🏗️', ''],
  ])('normalises %j to %j', (name, normalized) => {
    expect(normalizeVendorName(name)).toBe(normalized);
  });
});
