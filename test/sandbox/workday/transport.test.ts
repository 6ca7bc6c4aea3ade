import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSupplier, createWorkdaySimulator } from '../../../sandbox/workday';
import {
  call,
  dig,
  endpoint,
  faultOf,
  type Harness,
  ISU,
  OAUTH,
  post,
  responseOf,
  results,
  startHarness,
  TENANT,
} from './helpers';

const INVALID = 'The web service or version is invalid for the requested operation';

describe('Workday simulator: endpoint, versions and SOAP envelope (checklist 1, 3)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.sim.store.suppliers.put(buildSupplier());
  });
  afterAll(() => h.close());

  it.each(['v44.2', 'v45.0', 'v45.1', 'v46.0'])('serves Get_Suppliers at version %s and echoes it', async (version) => {
    const reply = await call(h.url, 'Get_Suppliers', '', { version });

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(responseOf(reply, 'Get_Suppliers')['@_version']).toBe(version);
    expect(results(reply, 'Get_Suppliers', 'Supplier')).toHaveLength(1);
  });

  it('echoes the bsvc:version of the request element when it differs from the URL', async () => {
    const reply = await call(h.url, 'Get_Suppliers', '', { version: 'v45.1', requestVersion: 'v44.2' });

    expect(responseOf(reply, 'Get_Suppliers')['@_version']).toBe('v44.2');
  });

  it('answers with env:Envelope and the wd prefix bound to urn:com.workday/bsvc', async () => {
    const reply = await call(h.url, 'Get_Suppliers');

    expect(reply.text).toMatch(
      /^<\?xml[^>]*\?><env:Envelope xmlns:env="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/">/,
    );
    expect(reply.text).toContain('<wd:Get_Suppliers_Response xmlns:wd="urn:com.workday/bsvc" wd:version="v45.1">');
  });

  it.each([
    ['an unknown version', { version: 'v48.0' }],
    ['another service', { service: 'Financial_Management' }],
    ['a version-less URL', { version: '' }],
    ['an unsupported bsvc:version', { requestVersion: 'v30.0' }],
  ])('rejects %s with Client.validationError', async (_name, options) => {
    const reply = await call(h.url, 'Get_Suppliers', '', options);

    expect(reply.status).toBe(500);
    const fault = faultOf(reply);
    expect(fault.faultcode).toBe('SOAP-ENV:Client.validationError');
    expect(fault.faultstring).toBe(INVALID);
  });

  it('rejects an operation the service does not have with the same fault', async () => {
    const reply = await call(h.url, 'Get_Workers');

    expect(reply.status).toBe(500);
    expect(faultOf(reply).faultstring).toBe(INVALID);
    expect(h.sim.calls.byOperation.Get_Workers_Request).toBe(1);
  });

  it('answers an unknown tenant with the authentication fault', async () => {
    const reply = await call(h.url, 'Get_Suppliers', '', {
      tenant: 'other_tenant',
      auth: { kind: 'wsse', username: `${ISU.username}@other_tenant` },
    });

    expect(reply.status).toBe(500);
    expect(faultOf(reply).faultcode).toBe('SOAP-ENV:Client.authenticationError');
  });

  it('parses by namespace, whatever the prefixes (default namespace on the request element)', async () => {
    const xml =
      '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header>' +
      `<s:Security xmlns:s="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><s:UsernameToken><s:Username>${ISU.username}@${TENANT}</s:Username><s:Password>S3cret&amp;&lt;pw&gt;</s:Password></s:UsernameToken></s:Security>` +
      '</e:Header><e:Body><Get_Suppliers_Request xmlns="urn:com.workday/bsvc" xmlns:x="urn:com.workday/bsvc" x:version="v45.1">' +
      '<Response_Filter><Count>5</Count></Response_Filter></Get_Suppliers_Request></e:Body></e:Envelope>';

    const reply = await post(h.url, xml);

    expect(reply.status).toBe(200);
    expect(dig(responseOf(reply, 'Get_Suppliers'), 'Response_Filter', 'Count')).toBe('5');
  });

  it('ignores SOAPAction', async () => {
    const reply = await call(h.url, 'Get_Suppliers', '', { headers: { soapaction: '"urn:anything#Get_Workers"' } });

    expect(reply.status).toBe(200);
  });

  it.each([
    [
      'a request element outside urn:com.workday/bsvc',
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><x:Get_Suppliers_Request xmlns:x="urn:example"/></soapenv:Body></soapenv:Envelope>',
    ],
    [
      'two request elements',
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:b="urn:com.workday/bsvc"><soapenv:Body><b:Get_Suppliers_Request/><b:Get_Suppliers_Request/></soapenv:Body></soapenv:Envelope>',
    ],
    ['malformed XML', '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'],
    ['a document that is not an envelope', '<Get_Suppliers_Request xmlns="urn:com.workday/bsvc"/>'],
  ])('rejects %s with a validation fault', async (_name, xml) => {
    const reply = await post(h.url, xml);

    expect(reply.status).toBe(500);
    expect(faultOf(reply).faultcode).toBe('SOAP-ENV:Client.validationError');
  });

  it('answers a SOAP 1.2 envelope with VersionMismatch', async () => {
    const reply = await post(
      h.url,
      '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><b:Get_Suppliers_Request xmlns:b="urn:com.workday/bsvc"/></e:Body></e:Envelope>',
    );

    expect(reply.status).toBe(500);
    expect(faultOf(reply).faultcode).toBe('SOAP-ENV:VersionMismatch');
  });

  it('does not serve a WSDL: GET ?wsdl is 404', async () => {
    const response = await fetch(`${endpoint(h.url)}?wsdl`);

    expect(response.status).toBe(404);
  });

  it('accepts an unqualified ID type attribute unless requireQualifiedTypeAttribute is on', async () => {
    const supplier = h.sim.store.suppliers.all()[0];
    const inner = `<bsvc:Request_References><bsvc:Supplier_Reference><bsvc:ID type="WID">${supplier?.wid}</bsvc:ID></bsvc:Supplier_Reference></bsvc:Request_References>`;

    const lenient = await call(h.url, 'Get_Suppliers', inner);
    h.sim.switches.requireQualifiedTypeAttribute = true;
    const strict = await call(h.url, 'Get_Suppliers', inner).finally(() => {
      h.sim.switches.requireQualifiedTypeAttribute = false;
    });

    expect(lenient.status).toBe(200);
    expect(strict.status).toBe(500);
    expect(faultOf(strict).faultcode).toBe('SOAP-ENV:Client.validationError');
  });
});

describe('createWorkdaySimulator().handle()', () => {
  it('claims /ccx/ paths and leaves every other path to the host server', async () => {
    const sim = createWorkdaySimulator({ tenant: TENANT, isu: ISU, oauth: OAUTH });
    const server = createServer((req, res) => {
      void sim.handle(req, res).then((handled) => {
        if (!handled) res.writeHead(418).end('not workday');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const other = await fetch(`${base}/rest/v1.0/projects`);
    const workday = await fetch(`${base}/ccx/unknown`);

    expect(other.status).toBe(418);
    expect(workday.status).toBe(404);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});
