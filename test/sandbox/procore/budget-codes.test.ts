import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Basics, COMPANY_ID, type Harness, seedBasics, startHarness } from './harness';

interface SegmentItem {
  id: number;
  code: string;
  path_code: string;
  segment: { id: number; type: string };
}

interface WbsCode {
  id: number;
  flat_code: string;
  description: string;
  status: string;
  segment_items: SegmentItem[];
}

describe('Procore simulator: projects', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  it('lists permitted active projects with origin fields, and filters them', async () => {
    const closed = h.sim.state.addProject({ name: 'Old Depot', active: false, origin_id: 'WD-PRJ-2' });
    const active = await h.get<{ id: number; name: string; origin_id: string | null }[]>(
      `/rest/v1.0/projects?company_id=${COMPANY_ID}`,
    );
    expect(active.json.map((p) => p.id)).toEqual([b.project.id]);
    const all = await h.get<{ id: number }[]>(`/rest/v1.1/projects?company_id=${COMPANY_ID}&filters[by_status]=All`);
    expect(all.json.map((p) => p.id)).toEqual([b.project.id, closed.id]);
    const byOrigin = await h.get<{ id: number }[]>(
      `/rest/v1.0/projects?company_id=${COMPANY_ID}&filters[by_status]=All&filters[origin_id]=WD-PRJ-2`,
    );
    expect(byOrigin.json.map((p) => p.id)).toEqual([closed.id]);
    const byNumber = await h.get<{ id: number }[]>(
      `/rest/v1.1/projects?company_id=${COMPANY_ID}&filters[project_number]=P-100`,
    );
    expect(byNumber.json.map((p) => p.id)).toEqual([b.project.id]);
  });

  it('shows a project and requires company_id', async () => {
    const show = await h.get<{ name: string }>(`/rest/v1.0/projects/${b.project.id}?company_id=${COMPANY_ID}`);
    expect(show.json.name).toBe('Harbor Tower');
    expect((await h.get(`/rest/v1.0/projects/${b.project.id}`)).status).toBe(400);
  });
});

describe('Procore simulator: cost codes, cost types and budget codes', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  it('lists a project cost codes with full_code and parent', async () => {
    const reply = await h.get<{ id: number; code: string; full_code: string; parent: { id: number } | null }[]>(
      `/rest/v1.0/cost_codes?project_id=${b.project.id}`,
    );
    expect(reply.json.map((c) => [c.code, c.full_code])).toEqual([
      ['03', '03'],
      ['300', '03-300'],
    ]);
    expect(reply.json[1]?.parent).toEqual({ id: b.costCode.parent_id });
  });

  it('creates a cost code and rejects one without code or name', async () => {
    const ok = await h.request<{ full_code: string }>('POST', '/rest/v1.0/cost_codes', {
      body: { project_id: b.project.id, cost_code: { code: '400', name: 'Formwork', parent_id: b.costCode.parent_id } },
    });
    expect(ok.status).toBe(201);
    expect(ok.json.full_code).toBe('03-400');
    const bad = await h.request('POST', '/rest/v1.0/cost_codes', {
      body: { project_id: b.project.id, cost_code: { code: '' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.json).toEqual({ errors: { code: ["can't be blank"], name: ["can't be blank"] } });
  });

  it('lists cost types by company or by project', async () => {
    const byCompany = await h.get<{ code: string; base_type: string }[]>(
      `/rest/v1.0/line_item_types?company_id=${COMPANY_ID}`,
    );
    const byProject = await h.get<{ code: string }[]>(`/rest/v1.0/line_item_types?project_id=${b.project.id}`);
    expect(byCompany.json).toEqual([
      { id: b.costType.id, name: 'Materials', code: 'M', base_type: 'materials', origin_id: null, origin_data: null },
    ]);
    expect(byProject.json.map((t) => t.code)).toEqual(['M']);
  });

  it('lists WBS codes with flat_code and segment items naming the cost code and cost type', async () => {
    const reply = await h.get<WbsCode[]>(`/rest/v1.0/projects/${b.project.id}/work_breakdown_structure/wbs_codes`);
    expect(reply.json).toHaveLength(1);
    const code = reply.json[0];
    expect(code).toMatchObject({ id: b.budgetCode.id, flat_code: '03-300.M', status: 'active' });
    expect(code).not.toHaveProperty('cost_code_id');
    expect(code?.segment_items.map((s) => [s.segment.type, s.code, s.path_code])).toEqual([
      ['cost_code', '300', '03-300'],
      ['line_item_type', 'M', 'M'],
    ]);
    // Segment item ids are their own ids, not the cost code / cost type ids.
    expect(code?.segment_items[0]?.id).toBe(b.costCode.segment_item_id);
    expect(code?.segment_items[0]?.id).not.toBe(b.costCode.id);
  });

  it('filters WBS codes by status', async () => {
    h.sim.state.addBudgetCode(b.project.id, b.costCode.id, h.sim.state.addCostType({ name: 'Labor', code: 'L' }).id, {
      status: 'inactive',
    });
    const active = await h.get<WbsCode[]>(
      `/rest/v1.0/projects/${b.project.id}/work_breakdown_structure/wbs_codes?filters[status][]=active`,
    );
    expect(active.json.map((c) => c.flat_code)).toEqual(['03-300.M']);
  });

  it('upserts a WBS code from segment items found through the segments endpoints', async () => {
    const labor = h.sim.state.addCostType({ name: 'Labor', code: 'L', base_type: 'professional_services' });
    const base = `/rest/v1.0/projects/${b.project.id}/work_breakdown_structure`;
    const segments = await h.get<{ id: number; type: string }[]>(`${base}/segments`);
    const ccSegment = segments.json.find((s) => s.type === 'cost_code');
    const ctSegment = segments.json.find((s) => s.type === 'line_item_type');
    const ccItems = await h.get<SegmentItem[]>(`${base}/segments/${ccSegment?.id}/segment_items`);
    const ctItems = await h.get<SegmentItem[]>(`${base}/segments/${ctSegment?.id}/segment_items`);
    const cc = ccItems.json.find((i) => i.path_code === '03-300');
    const ct = ctItems.json.find((i) => i.code === 'L');
    const body = {
      description: 'Concrete labour',
      segment_items: [
        { segment_id: ccSegment?.id, segment_item_id: cc?.id },
        { segment_id: ctSegment?.id, segment_item_id: ct?.id },
      ],
    };
    const created = await h.request<WbsCode>('POST', `${base}/wbs_codes`, { body });
    expect(created.status).toBe(201);
    expect(created.json.flat_code).toBe('03-300.L');
    const again = await h.request<WbsCode>('POST', `${base}/wbs_codes`, { body: { ...body, description: 'Renamed' } });
    expect(again.json.id).toBe(created.json.id);
    expect(h.sim.state.findBudgetCode(b.project.id, b.costCode.id, labor.id)?.description).toBe('Renamed');
    expect(h.sim.state.budgetCodes(b.project.id)).toHaveLength(2);
  });

  it('rejects a WBS code missing a required segment or using a parent tier', async () => {
    const base = `/rest/v1.0/projects/${b.project.id}/work_breakdown_structure/wbs_codes`;
    const division = h.sim.state.db.costCodes.get(b.costCode.parent_id ?? 0);
    const onlyCostCode = await h.request('POST', base, {
      body: {
        segment_items: [{ segment_id: h.sim.state.costCodeSegmentId, segment_item_id: b.costCode.segment_item_id }],
      },
    });
    expect(onlyCostCode.status).toBe(422);
    const parentTier = await h.request('POST', base, {
      body: {
        segment_items: [
          { segment_id: h.sim.state.costCodeSegmentId, segment_item_id: division?.segment_item_id },
          { segment_id: h.sim.state.costTypeSegmentId, segment_item_id: b.costType.segment_item_id },
        ],
      },
    });
    expect(parentTier.status).toBe(422);
  });
});
