import { createHash } from 'node:crypto';

/**
 * Tenant reference data the simulator needs to render references it does not store per record
 * (currencies, countries, units of measure…): each gets a stable WID derived from its business ID.
 */

/** A stable 32-hex WID for a reference value, e.g. `derivedWid('Currency', 'USD')`. */
export function derivedWid(kind: string, id: string): string {
  return createHash('sha256').update(`${kind}:${id}`).digest('hex').slice(0, 32);
}

interface Country {
  alpha3: string;
  numeric: string;
  name: string;
}

const COUNTRIES: Record<string, Country> = {
  US: { alpha3: 'USA', numeric: '840', name: 'United States of America' },
  CA: { alpha3: 'CAN', numeric: '124', name: 'Canada' },
  GB: { alpha3: 'GBR', numeric: '826', name: 'United Kingdom' },
  IE: { alpha3: 'IRL', numeric: '372', name: 'Ireland' },
  AU: { alpha3: 'AUS', numeric: '036', name: 'Australia' },
  NZ: { alpha3: 'NZL', numeric: '554', name: 'New Zealand' },
  DE: { alpha3: 'DEU', numeric: '276', name: 'Germany' },
  FR: { alpha3: 'FRA', numeric: '250', name: 'France' },
  NL: { alpha3: 'NLD', numeric: '528', name: 'Netherlands' },
  MX: { alpha3: 'MEX', numeric: '484', name: 'Mexico' },
};

/** The country's ISO codes and Workday name; unknown alpha-2 codes keep only themselves. */
export function country(alpha2: string): Country | undefined {
  return COUNTRIES[alpha2];
}

const UNIT_NAMES: Record<string, string> = {
  EA: 'Each',
  HUR: 'Hour',
  DAY: 'Day',
  MTR: 'Meter',
  FOT: 'Foot',
  TNE: 'Metric Ton',
  LS: 'Lump Sum',
};

/** Display name of a UN/CEFACT unit code. */
export function unitDescriptor(code: string): string {
  return UNIT_NAMES[code] ?? code;
}

/** Title-cased descriptor for an upper-case reference ID (`BUSINESS` → `Business`). */
export function titleCase(id: string): string {
  return id
    .toLowerCase()
    .split(/[_\s]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
