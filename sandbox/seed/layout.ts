import { FIRST_ID } from '../procore/records';
import { buildWorktag, ref } from '../workday/builders';
import type { Ref, Worktag } from '../workday/data';
import { JOB_SITES } from './catalog';
import { pad } from './rng';
import { SCALES, type Scale, type ScaleSpec } from './scale';

/** One Procore project of the firm and the Workday worktag its project rule matches. */
export interface ProjectPlan {
  /** Position in `FirmLayout.projects` (the CAD project is last). */
  index: number;
  name: string;
  projectNumber: string;
  /** The Procore id the seed gives the project (fixed, so the config can name it before Procore is loaded). */
  procoreId: number;
  currency: 'USD' | 'CAD';
  worktag: Worktag;
  city: string;
  stateCode: string;
  countryCode: string;
}

/** Everything about the firm that is not a Workday document: its clock, company, projects and names. */
export interface FirmLayout {
  seed: number;
  scale: Scale;
  spec: ScaleSpec;
  /** UTC midnight of the simulated day the data is generated for. */
  anchorMs: number;
  /** `YYYY-MM-DD` of `anchorMs`. */
  today: string;
  /** The config's cut-over date; documents dated before it are skipped. */
  syncFrom: string;
  customerId: string;
  tenant: string;
  companyId: number;
  companyName: string;
  /** The Workday company every document belongs to. */
  company: Ref;
  /** USD job sites, then the CAD project (not multicurrency). */
  projects: ProjectPlan[];
  /** USD projects the config maps by Project_ID. */
  projectIdProjects: ProjectPlan[];
  /** USD projects the config maps by Cost_Center_Reference_ID. */
  costCenterProjects: ProjectPlan[];
  cadProject: ProjectPlan;
  /** A cost center no project rule maps (one invoice carries only it). */
  unmappedCostCenter: Worktag;
  /** A worktag of a type no rule uses, carried by many lines beside their mapped ones. */
  regionWorktags: Worktag[];
}

const DAY_MS = 86_400_000;
/** Procore project ids the seed assigns: below the simulator's id sequence, so they never collide with it. */
const PROJECT_ID_BASE = FIRST_ID - 2_000_000;

/** `date` shifted by `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Noon UTC of `date` plus `hours`: the moment a document dated `date` was entered. */
export function enteredOn(date: string, hours = 0): number {
  return Date.parse(`${date}T12:00:00Z`) + hours * 3_600_000;
}

function jobSite(k: number): { name: string; city: string; state: string } {
  const site = JOB_SITES[k % JOB_SITES.length] ?? { name: 'Job Site', city: 'Boise', state: 'ID' };
  const round = Math.floor(k / JOB_SITES.length);
  return round === 0 ? site : { ...site, name: `${site.name} Phase ${round + 1}` };
}

function projectPlan(k: number, costCenter: boolean): ProjectPlan {
  const site = jobSite(k);
  const number = `SB-${2401 + k}`;
  const worktag = costCenter
    ? buildWorktag('Cost_Center_Reference_ID', `CC-${310 + k}`, `${site.name} Field Office`)
    : buildWorktag('Project_ID', `PRJ-${2401 + k}`, site.name);
  return {
    index: k,
    name: site.name,
    projectNumber: number,
    procoreId: PROJECT_ID_BASE + 1001 + k,
    currency: 'USD',
    worktag,
    city: site.city,
    stateCode: site.state,
    countryCode: 'US',
  };
}

/** The layout of the firm for this seed, scale and day. */
export function buildLayout(seed: number, scale: Scale, nowMs: number): FirmLayout {
  const spec = SCALES[scale];
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const usd = Array.from({ length: spec.projects }, (_, k) =>
    projectPlan(k, k >= spec.projects - spec.costCenterProjects),
  );
  const cadProject: ProjectPlan = {
    index: spec.projects,
    name: 'Granville Street Offices',
    projectNumber: `SB-CA-${pad(7, 2)}`,
    procoreId: PROJECT_ID_BASE + 1900,
    currency: 'CAD',
    worktag: buildWorktag('Project_ID', 'PRJ-CA-07', 'Granville Street Offices (Vancouver)'),
    city: 'Vancouver',
    stateCode: 'BC',
    countryCode: 'CA',
  };
  return {
    seed,
    scale,
    spec,
    anchorMs: Date.parse(`${today}T00:00:00Z`),
    today,
    syncFrom: addDays(today, -105),
    customerId: 'summit-builders-sandbox',
    tenant: 'summit_sandbox',
    companyId: 562_949_953_000_042,
    companyName: 'Summit Builders Inc.',
    company: ref('Company', 'SB100', 'Summit Builders Inc.'),
    projects: [...usd, cadProject],
    projectIdProjects: usd.filter((p) => p.worktag.type === 'Project_ID'),
    costCenterProjects: usd.filter((p) => p.worktag.type === 'Cost_Center_Reference_ID'),
    cadProject,
    unmappedCostCenter: buildWorktag('Cost_Center_Reference_ID', 'CC-999', 'Corporate Overhead'),
    regionWorktags: [
      buildWorktag('Region_Reference_ID', 'REG-WEST', 'West Region'),
      buildWorktag('Region_Reference_ID', 'REG-MOUNTAIN', 'Mountain Region'),
    ],
  };
}
