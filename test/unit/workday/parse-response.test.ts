import { describe, expect, it } from 'vitest';
import { WorkdayError } from '../../../lambdas/shared/errors';
import {
  type ParsedPage,
  parseInvoiceAdjustmentsPage,
  parsePurchaseOrdersPage,
  parseSoapFault,
  parseSupplierInvoicesPage,
  parseSuppliersPage,
} from '../../../lambdas/workday/parse';
import { readFixture, responsePage, soapEnvelope, soapFault, supplierXml } from './workday-xml';

const parsers: [string, (xml: string) => ParsedPage<unknown>][] = [
  ['Get_Suppliers', parseSuppliersPage],
  ['Get_Purchase_Orders', parsePurchaseOrdersPage],
  ['Get_Supplier_Invoices', parseSupplierInvoicesPage],
  ['Get_Supplier_Invoice_Adjustments', parseInvoiceAdjustmentsPage],
];

/** Runs `act` and returns the WorkdayError it throws. */
function workdayErrorOf(act: () => unknown): WorkdayError {
  try {
    act();
  } catch (error) {
    if (error instanceof WorkdayError) return error;
    throw error;
  }
  throw new Error('expected a WorkdayError, but nothing was thrown');
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
${responsePage('Get_Suppliers', [supplierXml({ name: '&lol4;' })]).replace(/^<\?xml[^>]*>\n/, '')}`;

const externalEntity = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
${responsePage('Get_Suppliers', [supplierXml({ name: '&xxe;' })]).replace(/^<\?xml[^>]*>\n/, '')}`;

describe('page parsers', () => {
  it.each(parsers)('%s: an empty result without Response_Data is a normal empty page', (operation, parse) => {
    const xml = responsePage(operation, [], { totalResults: 0, totalPages: 0 });

    expect(parse(xml)).toEqual({
      results: { totalResults: 0, totalPages: 0, pageResults: 0, page: 1 },
      records: [],
      rejected: [],
    });
  });

  it.each(parsers)('%s: a page past the last one is empty', (operation, parse) => {
    const xml = responsePage(operation, [], { totalResults: 150, totalPages: 2, page: 3 });

    expect(parse(xml).records).toEqual([]);
  });

  it.each(['env', 'soapenv', 'SOAP-ENV', 'S'])(
    'reads the envelope by local name whatever its prefix (%s)',
    (prefix) => {
      const xml = responsePage('Get_Suppliers', [supplierXml()], { prefix });

      expect(parseSuppliersPage(xml).records).toHaveLength(1);
    },
  );

  it('refuses entity expansion (a DOCTYPE) without expanding anything', () => {
    const error = workdayErrorOf(() => parseSuppliersPage(billionLaughs));

    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/Get_Suppliers response .*DOCTYPE is not allowed/);
    expect(error.message).not.toContain('lollol');
  });

  it('refuses an external entity without reading it', () => {
    const error = workdayErrorOf(() => parseSuppliersPage(externalEntity));

    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('DOCTYPE is not allowed');
    expect(error.message).not.toContain('root:');
  });

  it('refuses a truncated document instead of returning part of it', () => {
    const full = readFixture('get-purchase-orders-page2.xml');

    const error = workdayErrorOf(() => parsePurchaseOrdersPage(full.slice(0, Math.floor(full.length / 2))));

    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(
      /^Workday Get_Purchase_Orders response is not XML the connector accepts \(malformed XML/,
    );
    expect(error.retryable).toBe(false);
  });

  it('refuses a body that is not XML at all', () => {
    const error = workdayErrorOf(() => parseSuppliersPage('upstream connect error or disconnect/reset before headers'));

    expect(error.kind).toBe('malformed');
    expect(error.context).toEqual({ operation: 'Get_Suppliers' });
  });

  it('refuses XML that is not a SOAP envelope', () => {
    const error = workdayErrorOf(() => parseSuppliersPage('<html><body><h1>502 Bad Gateway</h1></body></html>'));

    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('is not a SOAP envelope with a Body (found html)');
  });

  it('refuses the response of another operation', () => {
    const error = workdayErrorOf(() => parsePurchaseOrdersPage(readFixture('get-suppliers-page1.xml')));

    expect(error.kind).toBe('malformed');
    expect(error.message).toContain(
      'has no Get_Purchase_Orders_Response in the SOAP Body (found Get_Suppliers_Response)',
    );
  });

  it.each([
    ['missing', ''],
    [
      'without Total_Results',
      '<wd:Response_Results><wd:Total_Pages>1</wd:Total_Pages><wd:Page_Results>1</wd:Page_Results><wd:Page>1</wd:Page></wd:Response_Results>',
    ],
    [
      'with a non-numeric Page',
      '<wd:Response_Results><wd:Total_Results>1</wd:Total_Results><wd:Total_Pages>1</wd:Total_Pages><wd:Page_Results>1</wd:Page_Results><wd:Page>one</wd:Page></wd:Response_Results>',
    ],
  ])('refuses a page whose Response_Results is %s', (_case, resultsXml) => {
    const error = workdayErrorOf(() =>
      parseSuppliersPage(responsePage('Get_Suppliers', [supplierXml()], { resultsXml })),
    );

    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/has unusable paging figures \(Response_Results/);
  });

  it('names the paging figure that is wrong', () => {
    const resultsXml =
      '<wd:Response_Results><wd:Total_Results>1</wd:Total_Results><wd:Total_Pages>1</wd:Total_Pages>' +
      '<wd:Page_Results>1</wd:Page_Results><wd:Page>one</wd:Page></wd:Response_Results>';

    const error = workdayErrorOf(() =>
      parseSuppliersPage(responsePage('Get_Suppliers', [supplierXml()], { resultsXml })),
    );

    expect(error.message).toContain('Response_Results.Page: not a whole number: "one"');
  });

  it('refuses a page that claims records but has no Response_Data', () => {
    const xml = responsePage('Get_Suppliers', [], { totalResults: 3, totalPages: 1, pageResults: 3 });

    const error = workdayErrorOf(() => parseSuppliersPage(xml));

    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('says Page_Results 3 but holds 0 Supplier element(s)');
  });

  it('rejects an empty record element without a key and keeps the rest of the page', () => {
    const xml = responsePage('Get_Suppliers', ['<wd:Supplier/>', supplierXml()]);

    const result = parseSuppliersPage(xml);

    expect(result.records).toHaveLength(1);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.key).toBeUndefined();
    expect(result.rejected[0]?.error.issues).toEqual([{ path: 'Supplier', message: 'empty' }]);
  });

  it('throws the fault as its typed error when a page holds a SOAP fault', () => {
    const fault = soapFault({ code: 'SOAP-ENV:Client.authenticationError', string: 'invalid username or password' });

    for (const [, parse] of parsers) {
      expect(workdayErrorOf(() => parse(fault)).kind).toBe('authentication');
    }
  });
});

describe('parseSoapFault()', () => {
  it('reads an authentication fault and says what to check', () => {
    const error = parseSoapFault(
      soapFault({ code: 'SOAP-ENV:Client.authenticationError', string: 'invalid username or password' }),
    );

    expect(error).toBeInstanceOf(WorkdayError);
    expect(error?.kind).toBe('authentication');
    expect(error?.code).toBe('WORKDAY_AUTHENTICATION');
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain('invalid username or password');
    expect(error?.message).toContain('integration system user');
  });

  it('reads a validation fault with the message of every Validation_Error, the first one first', () => {
    const error = parseSoapFault(readFixture('fault-validation.xml'));

    expect(error?.kind).toBe('validation');
    expect(error?.message).toMatch(
      /^Workday refused the request as invalid: Invalid ID value. {2}'S-9999' is not a valid ID value for type = 'Supplier_ID'/,
    );
    expect(error?.message).toContain('Page number cannot be zero.');
    expect(error?.context).toEqual({ faultCode: 'SOAP-ENV:Client.validationError' });
  });

  it('uses the faultstring of a validation fault without detail', () => {
    const error = parseSoapFault(
      soapFault({
        code: 'SOAP-ENV:Client.validationError',
        string: 'The web service or version is invalid for the requested operation',
      }),
    );

    expect(error?.kind).toBe('validation');
    expect(error?.message).toContain('The web service or version is invalid for the requested operation');
  });

  it('reads a processing fault and says how to fix a missing permission', () => {
    const error = parseSoapFault(
      soapFault({
        code: 'SOAP-ENV:Server.processingError',
        string: 'Processing error occurred. The task submitted is not authorized.',
        detail:
          '<wd:Processing_Fault><wd:Detail_Message>The task submitted is not authorized.</wd:Detail_Message></wd:Processing_Fault>',
      }),
    );

    expect(error?.kind).toBe('processing');
    expect(error?.message).toBe(
      'Workday could not process the request (Processing error occurred. The task submitted is not authorized.): ' +
        "give the integration system user's security group Get access to the domain of this operation",
    );
  });

  it('reads a processing fault about throttling as throttled, which is retryable', () => {
    const error = parseSoapFault(
      soapFault({ code: 'SOAP-ENV:Server.processingError', string: 'Too many requests. Request throttled.' }),
    );

    expect(error?.kind).toBe('throttled');
    expect(error?.retryable).toBe(true);
  });

  it('reads a processing fault that asks for a retry as unavailable, which is retryable', () => {
    const error = parseSoapFault(
      soapFault({
        code: 'SOAP-ENV:Server.processingError',
        string: 'An unexpected error occurred. Please retry the request.',
      }),
    );

    expect(error?.kind).toBe('unavailable');
    expect(error?.retryable).toBe(true);
  });

  it('reads any other fault as processing', () => {
    const error = parseSoapFault(soapFault({ code: 'SOAP-ENV:Server', string: 'Internal error' }));

    expect(error?.kind).toBe('processing');
    expect(error?.message).toContain('SOAP-ENV:Server');
    expect(error?.message).toContain('Internal error');
  });

  it('keeps secrets Workday might echo out of the message', () => {
    const error = parseSoapFault(
      soapFault({
        code: 'SOAP-ENV:Client.validationError',
        string: 'Validation error occurred.',
        detail:
          '<wd:Validation_Fault><wd:Validation_Error><wd:Message>Unexpected element &lt;wsse:Password&gt;hunter2&lt;/wsse:Password&gt; with Bearer eyJhbGciOiJIUzI1NiJ9.payload</wd:Message></wd:Validation_Error></wd:Validation_Fault>',
      }),
    );

    expect(error?.message).not.toContain('hunter2');
    expect(error?.message).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });

  it('returns undefined for a body that is not a fault', () => {
    expect(parseSoapFault(readFixture('get-suppliers-page1.xml'))).toBeUndefined();
    expect(parseSoapFault(soapEnvelope(''))).toBeUndefined();
    expect(parseSoapFault('<html><body>Service Unavailable</body></html>')).toBeUndefined();
    expect(parseSoapFault('Service Unavailable')).toBeUndefined();
  });
});
