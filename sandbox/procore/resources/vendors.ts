import { bodyObject, pathId, projectFromPath, queryInt, type RequestContext, wrapped } from '../context';
import { type Json, notFound, paramMissing, type Reply } from '../http';
import { FieldReader } from '../input';
import { isCountryCode, isStateCode } from '../iso-3166';
import { commonFilters, Filters, paginate } from '../listing';
import type { Route } from '../router';
import type { BusinessRegister, ProcoreState, Vendor } from '../state';
import { runSync } from '../sync';
import { checkOriginFree } from './common';

const STRING_FIELDS = [
  'abbreviated_name',
  'trade_name',
  'address',
  'city',
  'zip',
  'business_phone',
  'mobile_phone',
  'fax_number',
  'email_address',
  'website',
  'labor_union',
  'license_number',
  'notes',
  'origin_id',
  'origin_data',
  'origin_code',
] as const;
const BOOLEAN_FIELDS = [
  'is_active',
  'authorized_bidder',
  'prequalified',
  'union_member',
  'non_union_prevailing_wage',
] as const;
const ID_FIELDS = ['vendor_group_id', 'parent_id', 'primary_contact_id'] as const;
const ID_ARRAY_FIELDS = ['trade_ids', 'bidding_distribution_ids', 'standard_cost_code_ids'] as const;
const REGISTER_TYPES = ['abn', 'ein'] as const;

/** The Vendor Extended View. */
export function vendorJson(state: ProcoreState, v: Vendor): Json {
  const parent = v.parent_id === null ? undefined : state.db.vendors.get(v.parent_id);
  let children = 0;
  for (const other of state.db.vendors.values()) if (other.parent_id === v.id) children += 1;
  return {
    id: v.id,
    name: v.name,
    company: v.name,
    abbreviated_name: v.abbreviated_name,
    trade_name: v.trade_name,
    legal_name: null,
    address: v.address,
    city: v.city,
    zip: v.zip,
    state_code: v.state_code,
    country_code: v.country_code,
    business_phone: v.business_phone,
    mobile_phone: v.mobile_phone,
    fax_number: v.fax_number,
    email_address: v.email_address,
    website: v.website,
    is_active: v.is_active,
    authorized_bidder: v.authorized_bidder,
    prequalified: v.prequalified,
    labor_union: v.labor_union,
    license_number: v.license_number,
    union_member: v.union_member,
    non_union_prevailing_wage: v.non_union_prevailing_wage,
    notes: v.notes,
    logo: null,
    is_connected: false,
    synced_to_erp: v.origin_id !== null,
    business_id: null,
    business_register: v.business_register ? { ...v.business_register } : null,
    vendor_group: v.vendor_group_id === null ? null : { id: v.vendor_group_id, name: null },
    primary_contact: v.primary_contact_id === null ? null : { id: v.primary_contact_id },
    attachments: [],
    contact_count: 0,
    children_count: children,
    parent: parent ? { id: parent.id, name: parent.name } : null,
    project_ids: [...state.db.projectVendors.values()].filter((l) => l.vendor_id === v.id).map((l) => l.project_id),
    standard_cost_codes: [],
    trades: v.trade_ids.map((id) => ({ id })),
    bidding: { ...v.bidding },
    bidding_distribution: v.bidding_distribution_ids.map((id) => ({ id })),
    company_vendor: true,
    origin_id: v.origin_id,
    origin_data: v.origin_data,
    origin_code: v.origin_code,
    origin_custom_fields: v.origin_custom_fields as Json,
    created_at: v.created_at,
    updated_at: v.updated_at,
  };
}

/** Reads vendor attributes into a patch, validating them against the company (and `existing` on update). */
function readVendor(ctx: RequestContext, data: Record<string, unknown>, existing: Vendor | undefined): Partial<Vendor> {
  const r = new FieldReader(data);
  const patch: Partial<Vendor> = {};
  const put = <K extends keyof Vendor>(key: K, value: Vendor[K] | undefined) => {
    if (value !== undefined) patch[key] = value;
  };
  for (const key of STRING_FIELDS) {
    const v = r.string(key);
    if (v !== undefined) patch[key] = v === '' ? null : v;
  }
  if (!existing || r.has('name')) {
    const name = r.requiredString('name');
    if (name !== undefined) patch.name = name;
  }
  for (const key of BOOLEAN_FIELDS) put(key, r.boolean(key));
  for (const key of ID_FIELDS) {
    const v = r.integer(key);
    if (v !== undefined) patch[key] = v;
  }
  for (const key of ID_ARRAY_FIELDS) put(key, r.idArray(key));

  const country = r.string('country_code');
  if (country) {
    if (isCountryCode(country)) patch.country_code = country;
    else r.add('country_code', 'is not a valid ISO-3166 alpha-2 country code');
  } else if (country !== undefined) patch.country_code = null;
  const state = r.string('state_code');
  if (state) {
    const inCountry = patch.country_code ?? existing?.country_code ?? null;
    if (isStateCode(state, inCountry)) patch.state_code = state;
    else r.add('state_code', 'is not a valid ISO-3166 alpha-2 state code');
  } else if (state !== undefined) patch.state_code = null;

  const bidding = r.object('bidding');
  if (bidding) {
    const merged = { ...(existing?.bidding ?? {}) };
    for (const [k, v] of Object.entries(bidding)) {
      if (typeof v === 'boolean') merged[k] = v;
      else r.add(`bidding.${k}`, 'is not a boolean');
    }
    patch.bidding = merged;
  }
  const custom = r.object('origin_custom_fields');
  // Procore merges origin_custom_fields into the existing values rather than replacing them.
  if (custom) patch.origin_custom_fields = { ...(existing?.origin_custom_fields ?? {}), ...custom };
  const register = r.object('business_register_attributes');
  if (register) {
    const br = readRegister(ctx, register, existing?.business_register ?? null, r);
    if (br) patch.business_register = br;
  }

  if (patch.parent_id !== undefined && patch.parent_id !== null) {
    const parent = ctx.state.db.vendors.get(patch.parent_id);
    if (!parent) r.add('parent_id', 'does not exist');
    else if (existing && parent.id === existing.id) r.add('parent_id', 'cannot be the same as id');
    else if (parent.parent_id !== null) r.add('parent_id', 'only two levels of hierarchy are supported');
  }
  checkOriginFree(r, ctx.state.db.vendors.values(), patch.origin_id, existing?.id);
  r.throwIfInvalid();
  return patch;
}

function readRegister(
  ctx: RequestContext,
  data: Record<string, unknown>,
  existing: BusinessRegister | null,
  outer: FieldReader,
): BusinessRegister | undefined {
  const r = new FieldReader(data, 'business_register.');
  const rawType = r.string('type');
  const type = rawType == null ? existing?.type : rawType.toLowerCase();
  if (!type) r.add('type', "can't be blank");
  else if (!REGISTER_TYPES.some((t) => t === type)) r.add('type', 'is not included in the list');
  const identifier = r.string('identifier') ?? existing?.identifier;
  if (!identifier) r.add('identifier', "can't be blank");
  outer.absorb(r.errors);
  if (!r.valid || !type || !identifier) return undefined;
  return {
    id: existing?.id ?? ctx.state.nextId(),
    type,
    identifier,
    verified_at: null,
    verification_status: 'unverified',
  };
}

function createVendor(ctx: RequestContext, data: Record<string, unknown>): Vendor {
  const patch = readVendor(ctx, data, undefined);
  return ctx.state.addVendor({ ...patch, name: patch.name ?? '' });
}

function updateVendor(ctx: RequestContext, vendor: Vendor, data: Record<string, unknown>): Vendor {
  const patch = readVendor(ctx, data, vendor);
  Object.assign(vendor, patch, { updated_at: ctx.state.stamp() });
  return vendor;
}

function requireCompanyQuery(ctx: RequestContext): void {
  if (queryInt(ctx, 'company_id') === undefined) throw paramMissing('company_id');
}

function requireCompanyBody(ctx: RequestContext): void {
  if (bodyObject(ctx).company_id === undefined) throw paramMissing('company_id');
}

function findVendor(ctx: RequestContext, id: number): Vendor {
  const vendor = ctx.state.db.vendors.get(id);
  if (!vendor || vendor.company_id !== ctx.companyId) throw notFound('Vendor');
  return vendor;
}

/** `filters[search]`: name, keywords, origin code and ABN/EIN (ignoring spaces and dashes). */
function matchesSearch(v: Vendor, search: string | undefined): boolean {
  if (search === undefined) return true;
  const needle = search.toLowerCase();
  const compact = needle.replace(/[^a-z0-9]/g, '');
  const texts = [v.name, v.abbreviated_name, v.trade_name, v.notes, v.origin_code].filter((t): t is string => !!t);
  if (texts.some((t) => t.toLowerCase().includes(needle))) return true;
  const identifier = v.business_register?.identifier.toLowerCase().replace(/[^a-z0-9]/g, '');
  return compact !== '' && identifier !== undefined && identifier.includes(compact);
}

function listVendors(ctx: RequestContext, vendors: Vendor[]): Reply {
  const filters = new Filters(ctx.query);
  const search = filters.value('search');
  const parents = filters.ids('parent_id');
  const selected = commonFilters(vendors, filters, (v) => v.origin_id).filter(
    (v) => matchesSearch(v, search) && (!parents || (v.parent_id !== null && parents.includes(v.parent_id))),
  );
  if (ctx.query.get('sort') === 'name') selected.sort((a, b) => a.name.localeCompare(b.name));
  return paginate(ctx, selected, (v) => vendorJson(ctx.state, v));
}

function companyVendors(ctx: RequestContext): Reply {
  requireCompanyQuery(ctx);
  const all = ctx.state.vendors();
  return listVendors(ctx, ctx.switches.vendorListIncludesInactive ? all : all.filter((v) => v.is_active));
}

function inactiveVendors(ctx: RequestContext): Reply {
  return listVendors(
    ctx,
    ctx.state.vendors().filter((v) => !v.is_active),
  );
}

function reactivateVendor(ctx: RequestContext): Reply {
  const vendor = findVendor(ctx, pathId(ctx, 'id', 'Vendor'));
  vendor.is_active = true;
  vendor.updated_at = ctx.state.stamp();
  return { status: 200, body: vendorJson(ctx.state, vendor) };
}

function showVendor(ctx: RequestContext): Reply {
  requireCompanyQuery(ctx);
  return { status: 200, body: vendorJson(ctx.state, findVendor(ctx, pathId(ctx, 'id', 'Vendor'))) };
}

function postVendor(ctx: RequestContext): Reply {
  requireCompanyBody(ctx);
  const vendor = createVendor(ctx, wrapped(ctx, 'vendor'));
  return { status: 201, body: vendorJson(ctx.state, vendor) };
}

function patchVendor(ctx: RequestContext): Reply {
  requireCompanyBody(ctx);
  const vendor = findVendor(ctx, pathId(ctx, 'id', 'Vendor'));
  return { status: 200, body: vendorJson(ctx.state, updateVendor(ctx, vendor, wrapped(ctx, 'vendor'))) };
}

function syncVendors(ctx: RequestContext): Reply {
  requireCompanyBody(ctx);
  return runSync<Vendor>(ctx, bodyObject(ctx).updates, {
    findById: (id) => ctx.state.db.vendors.get(id),
    findByOriginId: (originId) => ctx.state.vendors().find((v) => v.origin_id === originId),
    create: (item) => createVendor(ctx, item),
    update: (vendor, item) => updateVendor(ctx, vendor, item),
    serialize: (v) => vendorJson(ctx.state, v),
  });
}

function writeBusinessRegister(ctx: RequestContext): Reply {
  requireCompanyQuery(ctx);
  const vendor = findVendor(ctx, pathId(ctx, 'id', 'Vendor'));
  const r = new FieldReader({});
  const register = readRegister(ctx, wrapped(ctx, 'business_register'), vendor.business_register, r);
  r.throwIfInvalid();
  if (register) vendor.business_register = register;
  vendor.updated_at = ctx.state.stamp();
  return {
    status: ctx.method === 'POST' ? 201 : 200,
    body: vendor.business_register ? { ...vendor.business_register } : null,
  };
}

function projectVendors(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const ids = new Set(ctx.state.projectVendorIds(project.id));
  return listVendors(
    ctx,
    ctx.state.vendors().filter((v) => ids.has(v.id)),
  );
}

function showProjectVendor(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const vendor = findVendor(ctx, pathId(ctx, 'id', 'Vendor'));
  if (!ctx.state.inProjectDirectory(project.id, vendor.id)) throw notFound('Vendor');
  return { status: 200, body: vendorJson(ctx.state, vendor) };
}

function addToProject(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const vendor = findVendor(ctx, pathId(ctx, 'id', 'Vendor'));
  ctx.state.addVendorToProject(project.id, vendor.id);
  return { status: 201, body: vendorJson(ctx.state, vendor) };
}

function removeFromProject(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const vendor = findVendor(ctx, pathId(ctx, 'id', 'Vendor'));
  ctx.state.db.projectVendors.delete(`${project.id}:${vendor.id}`);
  return { status: 204 };
}

function createProjectVendor(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  // Creating a project vendor also creates the company vendor.
  const vendor = createVendor(ctx, wrapped(ctx, 'vendor'));
  ctx.state.addVendorToProject(project.id, vendor.id);
  return { status: 201, body: vendorJson(ctx.state, vendor) };
}

function updateProjectVendor(ctx: RequestContext): Reply {
  const project = projectFromPath(ctx);
  const vendor = findVendor(ctx, pathId(ctx, 'id', 'Vendor'));
  if (!ctx.state.inProjectDirectory(project.id, vendor.id)) throw notFound('Vendor');
  return { status: 200, body: vendorJson(ctx.state, updateVendor(ctx, vendor, wrapped(ctx, 'vendor'))) };
}

const projectVendorRoutes = (v: 'v1.0' | 'v1.1'): Route[] => [
  { method: 'GET', template: `/rest/${v}/projects/{project_id}/vendors`, handler: projectVendors },
  {
    method: 'POST',
    template: `/rest/${v}/projects/{project_id}/vendors`,
    handler: createProjectVendor,
  },
  { method: 'GET', template: `/rest/${v}/projects/{project_id}/vendors/{id}`, handler: showProjectVendor },
  {
    method: 'PATCH',
    template: `/rest/${v}/projects/{project_id}/vendors/{id}`,
    handler: updateProjectVendor,
  },
  { method: 'POST', template: `/rest/${v}/projects/{project_id}/vendors/{id}/actions/add`, handler: addToProject },
  {
    method: 'DELETE',
    template: `/rest/${v}/projects/{project_id}/vendors/{id}/actions/remove`,
    handler: removeFromProject,
  },
];

/** Company vendors, the inactive list, business registers and the project directory. */
export const vendorRoutes: Route[] = [
  { method: 'GET', template: '/rest/v1.0/vendors', handler: companyVendors },
  { method: 'POST', template: '/rest/v1.0/vendors', handler: postVendor },
  {
    method: 'PATCH',
    template: '/rest/v1.0/vendors/sync',
    handler: syncVendors,
  },
  { method: 'GET', template: '/rest/v1.0/vendors/{id}', handler: showVendor },
  { method: 'PATCH', template: '/rest/v1.0/vendors/{id}', handler: patchVendor },
  {
    method: 'POST',
    template: '/rest/v1.0/vendors/{id}/business_register',
    handler: writeBusinessRegister,
  },
  {
    method: 'PATCH',
    template: '/rest/v1.0/vendors/{id}/business_register',
    handler: writeBusinessRegister,
  },
  { method: 'GET', template: '/rest/v1.0/companies/{company_id}/vendors/inactive', handler: inactiveVendors },
  { method: 'PATCH', template: '/rest/v1.0/companies/{company_id}/vendors/inactive/{id}', handler: reactivateVendor },
  ...projectVendorRoutes('v1.0'),
  ...projectVendorRoutes('v1.1'),
];
