import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/shared/errors';
import { hashTaxId } from '../../../lambdas/shared/hash';
import { parseSuppliersPage } from '../../../lambdas/workday/parse';
import { readFixture, ref, responsePage, supplierXml, wid } from './workday-xml';

const page = () => parseSuppliersPage(readFixture('get-suppliers-page1.xml'));

function taxIdXml(text: string, type: string, primary?: string): string {
  return (
    `<wd:Tax_ID_Data><wd:Tax_ID_Text>${text}</wd:Tax_ID_Text>${ref('Tax_ID_Type_Reference', { Tax_ID_Type_ID: type })}` +
    (primary === undefined ? '' : `<wd:Primary_Tax_ID>${primary}</wd:Primary_Tax_ID>`) +
    '</wd:Tax_ID_Data>'
  );
}

describe('parseSuppliersPage()', () => {
  it('reads the paging figures and every supplier of the page', () => {
    const result = page();

    expect(result.results).toEqual({ totalResults: 5, totalPages: 2, pageResults: 3, page: 1 });
    expect(result.records.map((s) => s.wid)).toEqual([
      '3f9a1c2e4b5d4e7f8091a2b3c4d5e6f7',
      '4e0b2d3f5a6c4d8e9f102b3c4d5e6f70',
      '5a1c3e2f6b7d4c9e8f013b4c5d6e7f81',
    ]);
    expect(result.rejected).toEqual([]);
  });

  it('maps the fields a Procore vendor needs', () => {
    const [acme] = page().records;

    expect(acme).toEqual({
      kind: 'supplier',
      wid: '3f9a1c2e4b5d4e7f8091a2b3c4d5e6f7',
      supplierId: '00123',
      name: 'Acme Concrete & Rebar, Inc.',
      status: 'ACTIVE',
      approvalStatus: 'APPROVED',
      taxId: { type: 'USA-EIN', hash: hashTaxId('12-3456789'), value: '12-3456789' },
      address: {
        lines: ['4500 Industrial Pkwy', 'Suite 200'],
        city: 'Oakland',
        region: 'CA',
        postalCode: '94621',
        country: 'US',
      },
      phone: '+1 (510) 555-0142',
      email: 'ap@acme-concrete.example',
      website: 'https://acme-concrete.example',
      currency: 'USD',
    });
  });

  it('takes the status of the last Supplier_Status_Data and the newest address', () => {
    const [acme] = page().records;

    expect(acme?.status).toBe('ACTIVE');
    expect(acme?.address?.city).toBe('Oakland');
  });

  it('takes the region from the last segment of Country_Region_ID when there is no ISO code', () => {
    const bauer = page().records[1];

    expect(bauer?.address).toEqual({
      lines: ['Straße des 17. Juni 12'],
      city: 'München',
      region: 'BY',
      postalCode: '80331',
      country: 'DE',
    });
  });

  it('builds the phone number from its parts when Workday sends no formatted phone', () => {
    expect(page().records[1]?.phone).toBe('+49 89 1234567 x12');
  });

  it('keeps an ABN in clear, like an EIN', () => {
    const zoe = page().records[2];

    expect(zoe?.taxId).toEqual({ type: 'AUS-ABN', hash: hashTaxId('51 824 753 556'), value: '51 824 753 556' });
  });

  it('keeps the primary tax ID of another type only as a hash, and no other tax ID at all', () => {
    const result = page();
    const json = JSON.stringify(result);

    expect(result.records[1]?.taxId).toEqual({ type: 'DEU-STNR', hash: hashTaxId('143/456/78901') });
    expect(json).not.toContain('143/456/78901');
    expect(json).not.toContain('14345678901');
    expect(json).not.toContain('DE123456789');
  });

  it('drops bank and settlement details entirely', () => {
    const json = JSON.stringify(page());

    for (const secret of ['004417789123', '121000358', '0532013000', 'DE89370400440532013000', 'COBADEFFXXX']) {
      expect(json).not.toContain(secret);
    }
    expect(json).not.toMatch(/Settlement|Bank|IBAN/i);
  });

  it('takes the first tax ID when none is marked primary', () => {
    const xml = responsePage('Get_Suppliers', [
      supplierXml({ data: taxIdXml('98-7654321', 'USA-EIN', '0') + taxIdXml('GB123456789', 'GBR-VAT') }),
    ]);

    expect(parseSuppliersPage(xml).records[0]?.taxId).toEqual({
      type: 'USA-EIN',
      hash: hashTaxId('98-7654321'),
      value: '98-7654321',
    });
  });

  it('reads tax IDs wrapped in Tax_ID_Widget_Data (v40-era responses) like unwrapped ones', () => {
    const widget = (inner: string) => `<wd:Tax_ID_Widget_Data>${inner}</wd:Tax_ID_Widget_Data>`;
    const xml = responsePage('Get_Suppliers', [
      supplierXml({ data: widget(taxIdXml('GB123456789', 'GBR-VAT') + taxIdXml('98-7654321', 'USA-EIN', '1')) }),
      supplierXml({ wid: wid(2), data: widget(taxIdXml('12-3456789', 'USA-EIN')) }),
    ]);

    expect(parseSuppliersPage(xml).records.map((s) => s.taxId)).toEqual([
      { type: 'USA-EIN', hash: hashTaxId('98-7654321'), value: '98-7654321' },
      { type: 'USA-EIN', hash: hashTaxId('12-3456789'), value: '12-3456789' },
    ]);
  });

  it('does not treat a tax ID type that merely contains the letters EIN as an EIN', () => {
    const xml = responsePage('Get_Suppliers', [supplierXml({ data: taxIdXml('DE-77-1234', 'DEU-STEINR', '1') })]);
    const result = parseSuppliersPage(xml);

    expect(result.records[0]?.taxId).toEqual({ type: 'DEU-STEINR', hash: hashTaxId('DE-77-1234') });
    expect(JSON.stringify(result)).not.toContain('DE-77-1234');
  });

  it('round-trips names with entities, quotes, accents and emoji exactly', () => {
    const zoe = page().records[2];

    expect(zoe?.name).toBe('Zoë & Søn <Pipe & Valve> "The Best" — O\'Brien 🚧');
  });

  it('does not decode an escaped entity twice', () => {
    const xml = responsePage('Get_Suppliers', [supplierXml({ name: 'R&amp;amp;D &amp;lt;Labs&amp;gt;' })]);

    expect(parseSuppliersPage(xml).records[0]?.name).toBe('R&amp;D &lt;Labs&gt;');
  });

  it('keeps numeric-looking IDs as strings, leading zeros included', () => {
    const [acme] = page().records;

    expect(acme?.supplierId).toBe('00123');
  });

  it('leaves out what the supplier does not have rather than sending empty values', () => {
    const zoe = page().records[2];

    expect(zoe).toEqual({
      kind: 'supplier',
      wid: '5a1c3e2f6b7d4c9e8f013b4c5d6e7f81',
      name: 'Zoë & Søn <Pipe & Valve> "The Best" — O\'Brien 🚧',
      status: 'ACTIVE',
      taxId: { type: 'AUS-ABN', hash: hashTaxId('51 824 753 556'), value: '51 824 753 556' },
    });
  });

  it('reads a single supplier with one address line, one status and one email as lists', () => {
    const contact =
      '<wd:Business_Entity_Data><wd:Contact_Data>' +
      '<wd:Address_Data><wd:Address_Line_Data wd:Type="ADDRESS_LINE_1">9 Pier Rd</wd:Address_Line_Data></wd:Address_Data>' +
      '<wd:Email_Address_Data><wd:Email_Address>ap@harbor.example</wd:Email_Address></wd:Email_Address_Data>' +
      '</wd:Contact_Data></wd:Business_Entity_Data>' +
      `<wd:Supplier_Status_Data>${ref('Status_Reference', { Business_Entity_Status_Value_ID: 'INACTIVE' })}</wd:Supplier_Status_Data>`;
    const result = parseSuppliersPage(responsePage('Get_Suppliers', [supplierXml({ data: contact })]));

    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({
      status: 'INACTIVE',
      address: { lines: ['9 Pier Rd'] },
      email: 'ap@harbor.example',
    });
  });

  it('rejects a supplier without a name and keeps the rest of the page', () => {
    const xml = responsePage('Get_Suppliers', [
      supplierXml({ wid: wid(1) }),
      supplierXml({ wid: wid(2), name: undefined }),
      supplierXml({ wid: wid(3) }),
    ]);

    const result = parseSuppliersPage(xml);

    expect(result.records.map((s) => s.wid)).toEqual([wid(1), wid(3)]);
    expect(result.rejected).toHaveLength(1);
    const [rejected] = result.rejected;
    expect(rejected?.key).toBe(`supplier:${wid(2)}`);
    expect(rejected?.wid).toBe(wid(2));
    expect(rejected?.error).toBeInstanceOf(ValidationError);
    expect(rejected?.error.record).toBe(`supplier:${wid(2)}`);
    expect(rejected?.error.issues).toEqual([{ path: 'Supplier_Data.Supplier_Name', message: 'missing' }]);
  });

  it('rejects a supplier whose reference has no WID, without a key but naming its business ID', () => {
    const xml = responsePage('Get_Suppliers', [supplierXml({ wid: undefined, supplierId: 'S-0042' })]);

    const [rejected] = parseSuppliersPage(xml).rejected;

    expect(rejected?.key).toBeUndefined();
    expect(rejected?.wid).toBeUndefined();
    expect(rejected?.error.record).toBeUndefined();
    expect(rejected?.error.issues).toEqual([
      { path: 'Supplier_Reference', message: 'no ID of type WID (Supplier_ID=S-0042)' },
    ]);
  });

  it('rejects a supplier whose WID is not a Workday WID', () => {
    const xml = responsePage('Get_Suppliers', [supplierXml({ wid: 'not-a-wid' })]);

    const [rejected] = parseSuppliersPage(xml).rejected;

    expect(rejected?.key).toBeUndefined();
    expect(rejected?.error.issues).toEqual([
      { path: 'Supplier_Reference.ID[0]', message: 'not a 32-character Workday WID: "not-a-wid"' },
    ]);
  });
});
