import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Basics, COMPANY_ID, type Harness, seedBasics, startHarness } from './harness';

describe('Procore simulator: company header, permitted projects, 404s', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers 400 with the documented text when Procore-Company-Id is missing', async () => {
    const reply = await h.get(`/rest/v1.0/projects?company_id=${COMPANY_ID}`, { noCompany: true });
    expect(reply.status).toBe(400);
    expect(reply.text).toMatch(/^Missing Procore-Company-Id header!/);
  });

  it('uses the configured status for a missing header when the switch says 403', async () => {
    h.sim.switches.missingCompanyHeaderStatus = 403;
    const reply = await h.get('/rest/v1.0/me', { noCompany: true });
    expect(reply.status).toBe(403);
    expect(reply.text).toMatch(/^Missing Procore-Company-Id header!/);
  });

  it('reads the header name case-insensitively', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${h.url}/rest/v1.0/me`);
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // node:http keeps the casing given here on the wire.
      req.setHeader('PROCORE-COMPANY-ID', String(COMPANY_ID));
      req.setHeader('Authorization', `Bearer ${h.token}`);
      req.end();
    });
    expect(status).toBe(200);
  });

  it('answers 403 "App is not connected to this company" for another company', async () => {
    const reply = await h.get('/rest/v1.0/me', { noCompany: true, headers: { 'Procore-Company-Id': '12345' } });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({ errors: 'App is not connected to this company' });
  });

  it('answers 403 when company_id in the query or body disagrees with the header', async () => {
    const inQuery = await h.get('/rest/v1.0/vendors?company_id=999');
    const inBody = await h.request('POST', '/rest/v1.0/vendors', { body: { company_id: 999, vendor: { name: 'X' } } });
    const inPath = await h.get('/rest/v1.0/companies/999/vendors/inactive');
    expect([inQuery.status, inBody.status, inPath.status]).toEqual([403, 403, 403]);
    expect(h.sim.state.vendors()).toHaveLength(1);
  });

  it('answers 403 on project-scoped calls to a project the app is not permitted to see, and hides it from lists', async () => {
    const hidden = h.sim.state.addProject({ name: 'Secret Site', permitted: false });
    const call = await h.get(`/rest/v1.0/cost_codes?project_id=${hidden.id}`);
    expect(call.status).toBe(403);
    const list = await h.get<{ id: number }[]>(`/rest/v1.0/projects?company_id=${COMPANY_ID}`);
    expect(list.json.map((p) => p.id)).toEqual([b.project.id]);
  });

  it('answers 404 for unknown resources, unknown projects and unknown paths', async () => {
    const vendor = await h.get(`/rest/v1.0/vendors/${b.vendor.id + 999}?company_id=${COMPANY_ID}`);
    const project = await h.get(`/rest/v1.0/cost_codes?project_id=${b.project.id + 999}`);
    const path = await h.get('/rest/v1.0/does_not_exist');
    expect([vendor.status, project.status, path.status]).toEqual([404, 404, 404]);
  });

  it('sends X-Request-Id and a JSON content type on every JSON response', async () => {
    const ok = await h.get(`/rest/v1.0/projects?company_id=${COMPANY_ID}`);
    const missing = await h.get('/rest/v1.0/nothing');
    for (const reply of [ok, missing]) {
      expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
    expect(ok.headers.get('x-request-id')).not.toBe(missing.headers.get('x-request-id'));
  });

  it('uses large integer ids that do not fit in 32 bits and second-precision UTC timestamps', async () => {
    expect(b.project.id).toBeGreaterThanOrEqual(562_949_953_421_312);
    expect(b.vendor.id).toBeGreaterThan(b.project.id);
    const vendor = await h.get<{ created_at: string }>(`/rest/v1.0/vendors/${b.vendor.id}?company_id=${COMPANY_ID}`);
    expect(vendor.json.created_at).toBe('2026-06-01T12:00:00Z');
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await fetch(`${h.url}/rest/v1.0/vendors`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${h.token}`,
        'Procore-Company-Id': String(COMPANY_ID),
        'Content-Type': 'application/json',
      },
      body: '{"company_id": 1, "vendor": {',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: expect.stringMatching(/not valid JSON/) });
  });

  it('answers v2.0 errors in the v2 error shape', async () => {
    const hidden = h.sim.state.addProject({ name: 'Secret Site', permitted: false });
    const reply = await h.get(`/rest/v2.0/companies/${COMPANY_ID}/projects/${hidden.id}/wbs/codes`);
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({
      error: { code: 'FORBIDDEN', message: 'You do not have access to this project', details: [] },
    });
  });

  it('counts calls per method and route template, reads and writes, and client errors', async () => {
    h.sim.calls.reset();
    await h.get(`/rest/v1.0/vendors/${b.vendor.id}?company_id=${COMPANY_ID}`);
    await h.get(`/rest/v1.0/vendors/${b.vendor.id + 1}?company_id=${COMPANY_ID}`);
    await h.request('PATCH', '/rest/v1.0/vendors/sync', { body: { company_id: COMPANY_ID, updates: [] } });
    const { calls } = h.sim;
    expect(calls.count('GET', '/rest/v1.0/vendors/{id}')).toBe(2);
    expect(calls.count('PATCH', '/rest/v1.0/vendors/sync')).toBe(1);
    expect([calls.total, calls.reads, calls.writes, calls.clientErrors]).toEqual([3, 2, 1, 1]);
    expect(calls.byStatus).toEqual({ 200: 2, 404: 1 });
  });

  it('lets other paths through to the next handler', async () => {
    const res = await fetch(`${h.url}/ccx/service/tenant/Resource_Management`);
    expect(res.status).toBe(404);
    expect(h.sim.calls.total).toBe(1);
  });
});
