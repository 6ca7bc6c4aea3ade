import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Basics, COMPANY_ID, type Harness, seedBasics, startHarness } from './harness';

function links(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim());
    if (m?.[1] && m[2]) out[m[2]] = m[1];
  }
  return out;
}

describe('Procore simulator: pagination and filters', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    for (let i = 2; i <= 7; i++) h.sim.state.addVendor({ name: `Vendor ${i}`, origin_id: `WD-SUP-${i}` });
  });
  afterEach(async () => {
    await h.close();
  });

  const vendorsPath = `/rest/v1.0/vendors?company_id=${COMPANY_ID}`;

  it('pages a bare JSON array with Total, Per-Page and absolute Link URLs that keep the query', async () => {
    const page1 = await h.get<{ id: number }[]>(`${vendorsPath}&per_page=3&filters[search]=vendor`);
    expect(page1.json).toHaveLength(3);
    expect(page1.headers.get('total')).toBe('6');
    expect(page1.headers.get('per-page')).toBe('3');
    const l1 = links(page1.headers.get('link'));
    expect(Object.keys(l1).sort()).toEqual(['last', 'next']);
    const next = new URL(l1.next ?? '');
    expect(`${next.protocol}//${next.host}`).toBe(h.url);
    expect(next.searchParams.get('page')).toBe('2');
    expect(next.searchParams.get('filters[search]')).toBe('vendor');
    expect(next.searchParams.get('company_id')).toBe(String(COMPANY_ID));

    const page2 = await h.get<{ id: number }[]>(`${next.pathname}${next.search}`);
    expect(Object.keys(links(page2.headers.get('link'))).sort()).toEqual(['first', 'prev']);
    expect([...page1.json, ...page2.json].map((v) => v.id)).toEqual(
      h.sim.state
        .vendors()
        .filter((v) => v.name.startsWith('Vendor'))
        .map((v) => v.id),
    );
  });

  it('gives a middle page first, prev, next and last', async () => {
    const page = await h.get(`${vendorsPath}&per_page=2&page=2`);
    expect(Object.keys(links(page.headers.get('link'))).sort()).toEqual(['first', 'last', 'next', 'prev']);
  });

  it('defaults per_page to 100 and clamps it to the maximum', async () => {
    const plain = await h.get(vendorsPath);
    expect(plain.headers.get('per-page')).toBe('100');
    expect(plain.headers.get('link')).toBeNull();
    h.sim.switches.maxPerPage = 4;
    const clamped = await h.get<unknown[]>(`${vendorsPath}&per_page=50000`);
    expect(clamped.headers.get('per-page')).toBe('4');
    expect(clamped.json).toHaveLength(4);
  });

  it('filters by exact origin_id, id arrays and updated_at ranges, and refuses filters the operation does not list', async () => {
    const byOrigin = await h.get<{ name: string }[]>(`${vendorsPath}&filters[origin_id]=WD-SUP-3`);
    expect(byOrigin.json.map((v) => v.name)).toEqual(['Vendor 3']);
    const partial = await h.get<unknown[]>(`${vendorsPath}&filters[origin_id]=WD-SUP`);
    expect(partial.json).toEqual([]);
    const ids = h.sim.state.vendors().map((v) => v.id);
    const byIds = await h.get<{ id: number }[]>(`${vendorsPath}&filters[id][]=${ids[1]}&filters[id][]=${ids[2]}`);
    expect(byIds.json.map((v) => v.id)).toEqual([ids[1], ids[2]]);
    const unlisted = await h.get(`${vendorsPath}&filters[color]=blue`);
    expect(unlisted.status).toBe(400);
    expect(unlisted.json).toEqual({ errors: { 'filters[color]': ['is not a parameter of this endpoint'] } });

    h.clock.advance(3_600_000);
    const later = h.sim.state.addVendor({ name: 'Later Ltd' });
    const range = await h.get<{ id: number }[]>(
      `${vendorsPath}&filters[updated_at]=2026-06-01T12:30:00Z...2026-06-01T14:00:00Z`,
    );
    expect(range.json.map((v) => v.id)).toEqual([later.id]);
    const wholeDay = await h.get<unknown[]>(`${vendorsPath}&filters[created_at]=2026-06-01...2026-06-01`);
    expect(wholeDay.json).toHaveLength(8);
    const bad = await h.get(`${vendorsPath}&filters[updated_at]=yesterday`);
    expect(bad.status).toBe(400);
  });

  it('answers the v2 WBS list with a data envelope, string ids and a Link header that is present even when empty', async () => {
    const reply = await h.get<{ data: { id: string; code: string }[] }>(
      `/rest/v2.0/companies/${COMPANY_ID}/projects/${b.project.id}/wbs/codes`,
    );
    expect(reply.json.data).toEqual([
      { id: String(b.budgetCode.id), code: '03-300.M', description: 'Cast-in-Place.Materials', status: 'active' },
    ]);
    expect(reply.headers.get('per-page')).toBe('10');
    expect(reply.headers.get('link')).toBe('');
  });
});
