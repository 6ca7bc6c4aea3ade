import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../lambdas/shared/xml';
import { buildGetRequest, GET_OPERATIONS, soapEndpoint } from '../../../lambdas/workday/soap-request';

const parse = (xml: string) => parseXml(xml, { arrays: new Set(['ID', 'Supplier_Invoice_Reference']) });

describe('buildGetRequest()', () => {
  it('builds the §1.2 envelope: UsernameToken with PasswordText, descriptors on, version, criteria, filter, group', () => {
    const xml = buildGetRequest({
      operation: GET_OPERATIONS.suppliers,
      version: 'v45.1',
      usernameToken: { username: 'ISU@acme', password: 'a&b<c>"d\'' },
      select: { window: { from: '2024-06-02T17:00:00.000Z', to: '2024-06-03T17:00:00.000Z' } },
      asOf: '2024-06-03T17:00:00.000Z',
      page: 2,
      count: 999,
    });

    expect(xml).toMatch(
      /^<soapenv:Envelope xmlns:soapenv="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/" xmlns:bsvc="urn:com\.workday\/bsvc">/,
    );
    expect(xml).toContain(
      '<wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">',
    );
    expect(xml).toContain('<bsvc:Get_Suppliers_Request bsvc:version="v45.1">');
    expect(parse(xml)).toEqual({
      Envelope: {
        Header: {
          Security: {
            '@_mustUnderstand': '1',
            UsernameToken: {
              Username: 'ISU@acme',
              Password: {
                '#text': 'a&b<c>"d\'',
                '@_Type':
                  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText',
              },
            },
          },
          Workday_Common_Header: { Include_Reference_Descriptors_In_Response: 'true' },
        },
        Body: {
          Get_Suppliers_Request: {
            '@_version': 'v45.1',
            Request_Criteria: {
              Updated_From_Date: '2024-06-02T17:00:00.000Z',
              Updated_To_Date: '2024-06-03T17:00:00.000Z',
            },
            Response_Filter: { As_Of_Entry_DateTime: '2024-06-03T17:00:00.000Z', Page: '2', Count: '999' },
            Response_Group: { Include_Reference: 'true' },
          },
        },
      },
    });
  });

  it('puts invoice windows on invoice dates and leaves the Security header out for bearer calls', () => {
    const xml = buildGetRequest({
      operation: GET_OPERATIONS.creditMemos,
      version: 'v44.2',
      select: { window: { from: '2024-01-01', to: '2024-06-03' } },
      page: 1,
      count: 50,
    });

    const request = parse(xml) as { Envelope: { Header: object; Body: Record<string, unknown> } };
    expect(request.Envelope.Header).toEqual({
      Workday_Common_Header: { Include_Reference_Descriptors_In_Response: 'true' },
    });
    expect(request.Envelope.Body.Get_Supplier_Invoice_Adjustments_Request).toMatchObject({
      '@_version': 'v44.2',
      Request_Criteria: { Invoice_Date_On_or_After: '2024-01-01', Invoice_Date_On_or_Before: '2024-06-03' },
      Response_Filter: { Page: '1', Count: '50' },
    });
  });

  it('filters credit memos by the Document_Status_IDs in scope, after the dates; invoices carry their status instead', () => {
    const select = { window: { from: '2024-01-01', to: '2024-06-03' }, statuses: ['Approved', 'Paid'] };
    const memos = buildGetRequest({
      operation: GET_OPERATIONS.creditMemos,
      version: 'v45.1',
      select,
      page: 1,
      count: 50,
    });
    const invoices = buildGetRequest({
      operation: GET_OPERATIONS.invoices,
      version: 'v45.1',
      select,
      page: 1,
      count: 50,
    });

    expect(memos).toContain(
      '<bsvc:Request_Criteria><bsvc:Invoice_Date_On_or_After>2024-01-01</bsvc:Invoice_Date_On_or_After>' +
        '<bsvc:Invoice_Date_On_or_Before>2024-06-03</bsvc:Invoice_Date_On_or_Before>' +
        '<bsvc:Invoice_Status_Reference><bsvc:ID bsvc:type="Document_Status_ID">Approved</bsvc:ID></bsvc:Invoice_Status_Reference>' +
        '<bsvc:Invoice_Status_Reference><bsvc:ID bsvc:type="Document_Status_ID">Paid</bsvc:ID></bsvc:Invoice_Status_Reference>' +
        '</bsvc:Request_Criteria>',
    );
    expect(invoices).not.toContain('Invoice_Status_Reference');
  });

  it('asks for instances by WID with Request_References', () => {
    const xml = buildGetRequest({
      operation: GET_OPERATIONS.invoices,
      version: 'v45.1',
      select: { wids: ['a'.repeat(32), 'b'.repeat(32)] },
      page: 1,
      count: 999,
    });

    expect(xml).toContain(`<bsvc:Supplier_Invoice_Reference><bsvc:ID bsvc:type="WID">${'a'.repeat(32)}</bsvc:ID>`);
    const body = parse(xml) as { Envelope: { Body: { Get_Supplier_Invoices_Request: Record<string, unknown> } } };
    expect(body.Envelope.Body.Get_Supplier_Invoices_Request.Request_References).toEqual({
      Supplier_Invoice_Reference: [
        { ID: [{ '#text': 'a'.repeat(32), '@_type': 'WID' }] },
        { ID: [{ '#text': 'b'.repeat(32), '@_type': 'WID' }] },
      ],
    });
    expect(body.Envelope.Body.Get_Supplier_Invoices_Request).not.toHaveProperty('Request_Criteria');
  });
});

describe('soapEndpoint()', () => {
  it('is {baseUrl}/ccx/service/{tenant}/Resource_Management/{version}', () => {
    expect(soapEndpoint({ baseUrl: 'https://wd2-impl-services1.workday.com', tenant: 'acme', version: 'v45.1' })).toBe(
      'https://wd2-impl-services1.workday.com/ccx/service/acme/Resource_Management/v45.1',
    );
  });
});
