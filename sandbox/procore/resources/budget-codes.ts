import {
  bodyObject,
  pathId,
  projectFromBody,
  projectFromPath,
  projectFromQuery,
  queryInt,
  type RequestContext,
  requireProject,
  wrapped,
} from '../context';
import { invalid, isRecord, type Json, notFound, paramMissing, type Reply, unprocessable } from '../http';
import { FieldReader } from '../input';
import { commonFilters, Filters, inRange, paginate, paginateV2 } from '../listing';
import type { Route } from '../router';
import type { BudgetCode, CostCode, CostType, ProcoreState, WbsSegment } from '../state';
import { checkOriginFree } from './common';

function segmentJson(s: WbsSegment, count: number): Json {
  return {
    id: s.id,
    type: s.type,
    name: s.name,
    position: s.position,
    delimiter: s.delimiter,
    required: s.required,
    structure: s.structure,
    tiered: s.structure === 'tiered',
    selectable_tiers: false,
    segment_items_count: count,
    is_included_in_project_pattern: true,
    project_can_modify_origin_project: true,
    project_can_delete_origin_company: false,
    wbs_pattern_id: null,
  };
}

function segmentRef(s: WbsSegment): Json {
  return {
    id: s.id,
    name: s.name,
    type: s.type,
    position: s.position,
    delimiter: s.delimiter,
    required: s.required,
    structure: s.structure,
  };
}

function costCodePath(state: ProcoreState, c: CostCode): CostCode[] {
  const path: CostCode[] = [c];
  let parent = c.parent_id === null ? undefined : state.db.costCodes.get(c.parent_id);
  while (parent) {
    path.unshift(parent);
    parent = parent.parent_id === null ? undefined : state.db.costCodes.get(parent.parent_id);
  }
  return path;
}

function hasChildren(state: ProcoreState, c: CostCode): boolean {
  for (const other of state.db.costCodes.values()) if (other.parent_id === c.id) return true;
  return false;
}

function inUse(state: ProcoreState, test: (b: BudgetCode) => boolean): boolean {
  for (const b of state.db.budgetCodes.values()) if (test(b)) return true;
  return false;
}

function segment(state: ProcoreState, id: number): WbsSegment {
  const s = state.db.segments.get(id);
  if (!s) throw new Error(`no segment ${id}`);
  return s;
}

/** A cost code as an item of the tiered cost-code segment. */
function costCodeItemJson(state: ProcoreState, c: CostCode): Json {
  const path = costCodePath(state, c);
  const parent = c.parent_id === null ? undefined : state.db.costCodes.get(c.parent_id);
  return {
    id: c.segment_item_id,
    code: c.code,
    name: c.name,
    parent_id: parent?.segment_item_id ?? null,
    path_ids: path.map((p) => p.segment_item_id),
    path_code: c.full_code,
    path_codes: path.map((p) => p.code),
    path_names: path.map((p) => p.name),
    is_parent: hasChildren(state, c),
    in_use: inUse(state, (b) => b.cost_code_id === c.id),
    status: 'active',
    segment: segmentRef(segment(state, state.costCodeSegmentId)),
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

/** A cost type as an item of the flat line-item-type segment. */
function costTypeItemJson(state: ProcoreState, t: CostType): Json {
  return {
    id: t.segment_item_id,
    code: t.code,
    name: t.name,
    parent_id: null,
    path_ids: [t.segment_item_id],
    path_code: t.code,
    path_codes: [t.code],
    path_names: [t.name],
    is_parent: false,
    in_use: inUse(state, (b) => b.line_item_type_id === t.id),
    status: 'active',
    segment: segmentRef(segment(state, state.costTypeSegmentId)),
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

/** A budget code as the v1.0 WBS endpoints show it; the cost code and cost type appear only as segment items. */
export function wbsCodeJson(state: ProcoreState, b: BudgetCode): Json {
  const costCode = state.db.costCodes.get(b.cost_code_id);
  const costType = state.db.costTypes.get(b.line_item_type_id);
  return {
    id: b.id,
    flat_code: b.flat_code,
    flat_name: b.flat_name,
    description: b.description,
    status: b.status,
    segment_items: [
      ...(costCode ? [costCodeItemJson(state, costCode)] : []),
      ...(costType ? [costTypeItemJson(state, costType)] : []),
    ],
    wbs_pattern_id: state.wbsPatternId,
    created_at: b.created_at,
    updated_at: b.updated_at,
  };
}

function costCodeJson(state: ProcoreState, c: CostCode): Json {
  const project = state.db.projects.get(c.project_id);
  const types = state
    .budgetCodes(c.project_id)
    .filter((b) => b.cost_code_id === c.id)
    .map((b) => state.db.costTypes.get(b.line_item_type_id))
    .filter((t): t is CostType => t !== undefined);
  return {
    id: c.id,
    name: c.name,
    code: c.code,
    full_code: c.full_code,
    sortable_code: c.full_code,
    parent: c.parent_id === null ? null : { id: c.parent_id },
    biller: project?.name ?? null,
    biller_id: c.project_id,
    biller_type: 'Project',
    budgeted: false,
    position: c.position,
    standard_cost_code_id: c.standard_cost_code_id,
    line_item_types: types.map((t) => costTypeJson(t)),
    origin_id: c.origin_id,
    origin_data: c.origin_data,
    created_at: c.created_at,
    updated_at: c.updated_at,
    deleted_at: null,
  };
}

function costTypeJson(t: CostType): Json {
  return {
    id: t.id,
    name: t.name,
    code: t.code,
    base_type: t.base_type,
    origin_id: t.origin_id,
    origin_data: t.origin_data,
  };
}

function listCostCodes(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  const filters = new Filters(ctx.query);
  return paginate(
    ctx,
    commonFilters(ctx.state.costCodes(project.id), filters, (c) => c.origin_id),
    (c) => costCodeJson(ctx.state, c),
  );
}

function showCostCode(ctx: RequestContext): Reply {
  const project = projectFromQuery(ctx);
  const c = ctx.state.db.costCodes.get(pathId(ctx, 'id', 'Cost code'));
  if (!c || c.project_id !== project.id) throw notFound('Cost code');
  return { status: 200, body: costCodeJson(ctx.state, c) };
}

function createCostCode(ctx: RequestContext): Reply {
  const project = projectFromBody(ctx);
  const r = new FieldReader(wrapped(ctx, 'cost_code'));
  const code = r.requiredString('code');
  const name = r.requiredString('name');
  const parentId = r.integer('parent_id') ?? null;
  const originId = r.string('origin_id');
  const originData = r.string('origin_data');
  if (parentId !== null) {
    const parent = ctx.state.db.costCodes.get(parentId);
    if (!parent || parent.project_id !== project.id) r.add('parent_id', 'does not exist in this project');
  }
  if (code && ctx.state.costCodes(project.id).some((c) => c.code === code && c.parent_id === parentId)) {
    r.add('code', 'has already been taken');
  }
  checkOriginFree(r, ctx.state.db.costCodes.values(), originId);
  r.throwIfInvalid();
  const created = ctx.state.addCostCode(project.id, {
    code: code ?? '',
    name: name ?? '',
    parent_id: parentId,
    origin_id: originId ?? null,
    origin_data: originData ?? null,
  });
  return { status: 201, body: costCodeJson(ctx.state, created) };
}

function listCostTypes(ctx: RequestContext): Reply {
  const companyId = queryInt(ctx, 'company_id');
  const projectId = queryInt(ctx, 'project_id');
  if (companyId === undefined && projectId === undefined) throw paramMissing('company_id');
  if (projectId !== undefined) requireProject(ctx, projectId);
  const filters = new Filters(ctx.query);
  return paginate(
    ctx,
    commonFilters(ctx.state.costTypes(), filters, (t) => t.origin_id),
    costTypeJson,
  );
}

function showCostType(ctx: RequestContext): Reply {
  const t = ctx.state.db.costTypes.get(pathId(ctx, 'id', 'Line item type'));
  if (!t) throw notFound('Line item type');
  return { status: 200, body: costTypeJson(t) };
}

function listSegments(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const segments = [...ctx.state.db.segments.values()].sort((a, b) => a.position - b.position);
  return paginate(ctx, segments, (s) =>
    segmentJson(s, s.type === 'cost_code' ? ctx.state.costCodes(project.id).length : ctx.state.costTypes().length),
  );
}

function listSegmentItems(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const s = ctx.state.db.segments.get(pathId(ctx, 'segment_id', 'Segment'));
  if (!s) throw notFound('Segment');
  if (s.type === 'cost_code') {
    return paginate(ctx, ctx.state.costCodes(project.id), (c) => costCodeItemJson(ctx.state, c));
  }
  return paginate(ctx, ctx.state.costTypes(), (t) => costTypeItemJson(ctx.state, t));
}

function listWbsCodes(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const filters = new Filters(ctx.query);
  const statuses = filters.values('status');
  const updated = filters.range('updated_at');
  const query = ctx.query.get('query')?.toLowerCase();
  const codes = ctx.state
    .budgetCodes(project.id)
    .filter(
      (b) =>
        (!statuses || statuses.includes(b.status)) &&
        inRange(b.updated_at, updated) &&
        (!query || `${b.flat_code} ${b.flat_name} ${b.description}`.toLowerCase().includes(query)),
    );
  return paginate(ctx, codes, (b) => wbsCodeJson(ctx.state, b));
}

function listWbsCodesV2(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const filters = new Filters(ctx.query);
  const ids = filters.values('id');
  const search = filters.value('search')?.toLowerCase();
  const codes = ctx.state
    .budgetCodes(project.id)
    .filter(
      (b) =>
        (!ids || ids.includes(String(b.id))) &&
        (!search || `${b.flat_code} ${b.description}`.toLowerCase().includes(search)),
    );
  // v2 ids are strings.
  return paginateV2(ctx, codes, (b) => ({
    id: String(b.id),
    code: b.flat_code,
    description: b.description,
    status: b.status,
  }));
}

/** Upserts a budget code: the same combination of segment items updates the existing code's description. */
function createWbsCode(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const body = bodyObject(ctx);
  const items = body.segment_items;
  if (!Array.isArray(items)) throw paramMissing('segment_items');
  const description = body.description;
  if (description !== undefined && description !== null && typeof description !== 'string') {
    throw invalid('description', 'is invalid');
  }
  let costCode: CostCode | undefined;
  let costType: CostType | undefined;
  for (const item of items) {
    if (!isRecord(item) || typeof item.segment_id !== 'number' || typeof item.segment_item_id !== 'number') {
      throw invalid('segment_items', 'each item needs an integer segment_id and segment_item_id');
    }
    const s = ctx.state.db.segments.get(item.segment_id);
    if (!s) throw invalid('segment_items', `segment ${item.segment_id} does not exist`);
    if (s.type === 'cost_code') {
      costCode = ctx.state.costCodes(project.id).find((c) => c.segment_item_id === item.segment_item_id);
      if (!costCode) throw invalid('segment_items', `segment item ${item.segment_item_id} does not exist in Cost Code`);
      if (hasChildren(ctx.state, costCode)) {
        throw invalid('segment_items', `cost code ${costCode.full_code} is a parent tier and cannot be used`);
      }
    } else {
      costType = ctx.state.costTypes().find((t) => t.segment_item_id === item.segment_item_id);
      if (!costType) throw invalid('segment_items', `segment item ${item.segment_item_id} does not exist in Cost Type`);
    }
  }
  if (!costCode || !costType) {
    throw unprocessable({ segment_items: ['must include an item of every required segment (Cost Code, Cost Type)'] });
  }
  const existing = ctx.state.findBudgetCode(project.id, costCode.id, costType.id);
  const code = existing ?? ctx.state.addBudgetCode(project.id, costCode.id, costType.id);
  if (typeof description === 'string' && description !== '') {
    code.description = description;
    code.updated_at = ctx.state.stamp();
  }
  return { status: 201, body: wbsCodeJson(ctx.state, code) };
}

function listUoms(ctx: RequestContext): Reply {
  const uoms = [...ctx.state.db.uoms.values()].sort((a, b) => a.id - b.id);
  return paginate(ctx, uoms, (u) => ({ id: u.id, name: u.name, description: u.description }));
}

/** Cost codes, cost types (line item types), WBS segments and budget codes, units of measure. */
export const budgetCodeRoutes: Route[] = [
  { method: 'GET', template: '/rest/v1.0/cost_codes', handler: listCostCodes },
  { method: 'POST', template: '/rest/v1.0/cost_codes', handler: createCostCode },
  { method: 'GET', template: '/rest/v1.0/cost_codes/{id}', handler: showCostCode },
  { method: 'GET', template: '/rest/v1.0/line_item_types', handler: listCostTypes },
  { method: 'GET', template: '/rest/v1.0/line_item_types/{id}', handler: showCostType },
  {
    method: 'GET',
    template: '/rest/v1.0/projects/{project_id}/work_breakdown_structure/segments',
    handler: listSegments,
  },
  {
    method: 'GET',
    template: '/rest/v1.0/projects/{project_id}/work_breakdown_structure/segments/{segment_id}/segment_items',
    handler: listSegmentItems,
  },
  {
    method: 'GET',
    template: '/rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes',
    handler: listWbsCodes,
  },
  {
    method: 'POST',
    template: '/rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes',
    handler: createWbsCode,
  },
  {
    method: 'GET',
    template: '/rest/v2.0/companies/{company_id}/projects/{project_id}/wbs/codes',
    handler: listWbsCodesV2,
  },
  { method: 'GET', template: '/rest/v1.0/companies/{company_id}/uoms', handler: listUoms },
];
