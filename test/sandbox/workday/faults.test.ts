import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseXml, XmlError } from '../../../lambdas/shared/xml';
import { FAULT_PROFILES, FaultPlan } from '../../../sandbox/faults';
import { buildInvoice, buildSupplier } from '../../../sandbox/workday';
import { call, dig, endpoint, envelope, faultOf, filter, type Harness, LISTS, results, startHarness } from './helpers';

describe('Workday simulator: SOAP faults (checklist 15)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.sim.store.suppliers.put(buildSupplier());
  });
  afterEach(() => h.close());

  it('reports several validation problems in one Validation_Fault, with v45+ Code', async () => {
    const reply = await call(h.url, 'Get_Suppliers', filter({ Page: 0, Count: 5000 }));

    expect(reply.status).toBe(500);
    const fault = faultOf(reply);
    expect(fault.faultcode).toBe('SOAP-ENV:Client.validationError');
    expect(fault.faultstring).toMatch(/^Validation error occurred\. /);
    expect(fault.errors.map((e) => e.Code)).toEqual(['PAGE_ZERO', 'COUNT_OUT_OF_RANGE']);
    for (const error of fault.errors) {
      expect(Object.keys(error)).toEqual(['Message', 'Detail_Message', 'Xpath', 'Code']);
    }
  });

  it('answers a call to a domain the ISU lacks with the not-authorized processing fault', async () => {
    h.sim.denyOperation('Get_Supplier_Invoices');

    const denied = await call(h.url, 'Get_Supplier_Invoices');
    const other = await call(h.url, 'Get_Suppliers');
    h.sim.allowOperation('Get_Supplier_Invoices');
    const restored = await call(h.url, 'Get_Supplier_Invoices');

    expect(denied.status).toBe(500);
    const fault = faultOf(denied);
    expect(fault.faultcode).toBe('SOAP-ENV:Server.processingError');
    expect(fault.faultstring).toBe('Processing error occurred. The task submitted is not authorized.');
    expect(dig(fault.detail, 'Processing_Fault', 'Detail_Message')).toBe('The task submitted is not authorized.');
    expect(other.status).toBe(200);
    expect(restored.status).toBe(200);
  });

  it('throttles with HTTP 500 and a processing fault saying so', async () => {
    h.sim.faults.force({ type: 'throttle' });

    const reply = await call(h.url, 'Get_Suppliers');

    expect(reply.status).toBe(500);
    expect(reply.headers.get('retry-after')).toBeNull();
    const fault = faultOf(reply);
    expect(fault.faultcode).toBe('SOAP-ENV:Server.processingError');
    expect(fault.faultstring).toMatch(/throttled|too many requests/i);
    expect(h.sim.calls.faults).toBe(1);
  });

  it('answers a serverError 500 with a SOAP fault, 502 with an HTML page and 503 with an empty body', async () => {
    h.sim.faults.force({ type: 'serverError', status: 500 });
    h.sim.faults.force({ type: 'serverError', status: 502 });
    h.sim.faults.force({ type: 'serverError', status: 503 });

    const internal = await call(h.url, 'Get_Suppliers');
    const gateway = await call(h.url, 'Get_Suppliers');
    const unavailable = await call(h.url, 'Get_Suppliers');
    const healthy = await call(h.url, 'Get_Suppliers');

    expect(internal.status).toBe(500);
    expect(faultOf(internal).faultcode).toBe('SOAP-ENV:Server.processingError');
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get('content-type')).toMatch(/^text\/html/);
    expect(gateway.text).toContain('502 Bad Gateway');
    expect([unavailable.status, unavailable.text]).toEqual([503, '']);
    expect(healthy.status).toBe(200);
    expect(h.sim.faults.injected.serverError).toBe(3);
  });

  it('drops the connection without an answer', async () => {
    h.sim.faults.force({ type: 'drop' });

    await expect(call(h.url, 'Get_Suppliers')).rejects.toThrow();
    expect((await call(h.url, 'Get_Suppliers')).status).toBe(200);
  });

  it('holds a timed-out request until the client gives up', async () => {
    h.sim.faults.force({ type: 'timeout' });
    const started = Date.now();

    await expect(call(h.url, 'Get_Suppliers', '', { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await call(h.url, 'Get_Suppliers')).status).toBe(200);
  });

  it('counts calls per operation, and injected faults', async () => {
    h.sim.faults.force({ type: 'throttle' });
    await call(h.url, 'Get_Suppliers');
    await call(h.url, 'Get_Suppliers');
    await call(h.url, 'Get_Purchase_Orders');

    expect(h.sim.calls).toEqual({
      total: 3,
      byOperation: { Get_Suppliers: 2, Get_Purchase_Orders: 1 },
      faults: 1,
    });
  });
});

describe('Workday simulator: fault plans, timeouts and latency (checklist 15, 16)', () => {
  it('destroys a held request after timeoutMs when the client waits forever', async () => {
    const h = await startHarness({ timeoutMs: 100 });
    h.sim.faults.force({ type: 'timeout' });

    await expect(call(h.url, 'Get_Suppliers')).rejects.toThrow();
    await h.close();
  });

  it('injects faults from a seeded random plan reproducibly', async () => {
    const outcomes = async () => {
      const h = await startHarness({
        faults: new FaultPlan({ ...FAULT_PROFILES.none, serverError: 0.3, throttle: 0.3 }, 42),
      });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await call(h.url, 'Get_Suppliers')).status);
      await h.close();
      return statuses;
    };

    const first = await outcomes();
    const second = await outcomes();

    expect(first).toEqual(second);
    expect(first.some((s) => s !== 200)).toBe(true);
    expect(first).toContain(200);
  });

  it('delays every request by latencyMs, and page 1 by firstPageLatencyMs more', async () => {
    const h = await startHarness({ latencyMs: 40, firstPageLatencyMs: 120 });
    for (let i = 0; i < 3; i++) h.sim.store.suppliers.put(buildSupplier());
    const timed = async (page: number) => {
      const started = performance.now();
      await call(h.url, 'Get_Suppliers', filter({ Page: page, Count: 2 }));
      return performance.now() - started;
    };

    const first = await timed(1);
    const second = await timed(2);

    expect(first).toBeGreaterThanOrEqual(155);
    expect(second).toBeGreaterThanOrEqual(38);
    expect(second).toBeLessThan(first);
    await h.close();
  });
});

describe('Workday simulator: hostile responses for the connector parser', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.sim.store.suppliers.put(buildSupplier());
    h.sim.store.invoices.put(buildInvoice());
  });
  afterEach(() => h.close());

  const parse = (text: string) => parseXml(text, { arrays: LISTS });

  it('sends a billion-laughs DOCTYPE that the hardened parser refuses', async () => {
    h.sim.store.corrupt('entityBomb');

    const raw = await fetchRaw(h, 'Get_Suppliers');

    expect(raw.status).toBe(200);
    expect(raw.text).toMatch(/^<\?xml[^>]*\?><!DOCTYPE env:Envelope \[<!ENTITY lol0 "lol">/);
    expect(raw.text).toContain('<!ENTITY lol9 "&lol8;&lol8;');
    expect(raw.text).toContain('<wd:Total_Results>&lol9;</wd:Total_Results>');
    expect(() => parse(raw.text)).toThrow(XmlError);
  });

  it('sends a DOCTYPE with an external entity', async () => {
    h.sim.store.corrupt('doctype');

    const raw = await fetchRaw(h, 'Get_Suppliers');

    expect(raw.text).toContain('<!ENTITY xxe SYSTEM "file:///etc/passwd">');
    expect(raw.text).toContain('&xxe;');
    expect(() => parse(raw.text)).toThrow(XmlError);
  });

  it('cuts the body in half', async () => {
    h.sim.store.corrupt('truncate');

    const raw = await fetchRaw(h, 'Get_Suppliers');
    const whole = await fetchRaw(h, 'Get_Suppliers');

    expect(raw.text.length).toBeLessThan(whole.text.length);
    expect(() => parse(raw.text)).toThrow(XmlError);
    expect(() => parse(whole.text)).not.toThrow();
  });

  it('puts a non-numeric Extended_Amount on the next response that has amounts', async () => {
    h.sim.store.corrupt('nonNumericAmount');

    const suppliers = await call(h.url, 'Get_Suppliers');
    const invoices = await call(h.url, 'Get_Supplier_Invoices');
    const again = await call(h.url, 'Get_Supplier_Invoices');

    expect(suppliers.status).toBe(200);
    const amount = (reply: typeof invoices) =>
      dig(
        results(reply, 'Get_Supplier_Invoices', 'Supplier_Invoice')[0],
        'Supplier_Invoice_Data',
        'Invoice_Line_Replacement_Data',
        'Extended_Amount',
      );
    expect(amount(invoices)).toBe('12,50');
    expect(amount(again)).toBe('1000.00');
  });

  it('corrupts as many responses as asked', async () => {
    h.sim.store.corrupt('doctype', 2);

    const texts = [];
    for (let i = 0; i < 3; i++) texts.push((await fetchRaw(h, 'Get_Suppliers')).text);

    expect(texts.map((t) => t.includes('<!DOCTYPE'))).toEqual([true, true, false]);
  });
});

/** A Get_* call whose body is returned unparsed (hostile bodies must reach the test as sent). */
async function fetchRaw(h: Harness, operation: string): Promise<{ status: number; text: string }> {
  const response = await fetch(endpoint(h.url), { method: 'POST', body: envelope(operation, '') });
  return { status: response.status, text: await response.text() };
}
