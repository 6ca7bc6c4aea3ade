/**
 * Workday's wire formats for xsd:date and xsd:dateTime in a tenant time zone: dates carry the zone
 * offset (`2024-01-15-08:00`), date-times milliseconds and offset (`2024-01-15T10:00:00.000-08:00`),
 * and a date-time without an offset is read as tenant wall-clock time.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of `timeZone` at the instant `ms` (e.g. -480 for PST). */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, formatter);
  }
  const name = formatter.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function offsetText(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2024-01-15T10:00:00.000-08:00`: the instant in tenant time with its offset. */
export function formatDateTime(ms: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone, ms);
  const local = new Date(ms + offset * 60_000);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  return `${date}T${time}.${pad(local.getUTCMilliseconds(), 3)}${offsetText(offset)}`;
}

/** The tenant-local calendar date of an instant, `YYYY-MM-DD`. */
export function localDate(ms: number, timeZone: string): string {
  return formatDateTime(ms, timeZone).slice(0, 10);
}

/** An xsd:date as Workday writes it: with the tenant offset of that day's midnight, or bare. */
export function formatDate(date: string, timeZone: string, withOffset: boolean): string {
  if (!withOffset) return date;
  const midnight = localToUtc(date, '00:00:00.000', timeZone);
  return `${date}${offsetText(zoneOffsetMinutes(timeZone, midnight))}`;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$/;

/** Parses an xsd:dateTime; without an offset it is tenant wall-clock time. Undefined when invalid. */
export function parseDateTime(text: string, timeZone: string): number | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (!match?.[1] || !match[2] || !validDate(match[1])) return undefined;
  const [date, time, zone] = [match[1], match[2], match[3]];
  if (!zone) return localToUtc(date, time, timeZone);
  const ms = Date.parse(`${date}T${normaliseTime(time)}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Parses an xsd:date (zone suffix allowed and dropped) to `YYYY-MM-DD`. Undefined when invalid. */
export function parseDate(text: string): string | undefined {
  const match = DATE.exec(text.trim());
  return match?.[1] && validDate(match[1]) ? match[1] : undefined;
}

function validDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(date);
}

function normaliseTime(time: string): string {
  const [hms = '00:00', fraction = ''] = time.split('.');
  const full = hms.length === 5 ? `${hms}:00` : hms;
  return `${full}.${fraction.padEnd(3, '0').slice(0, 3)}`;
}

function localToUtc(date: string, time: string, timeZone: string): number {
  const wall = Date.parse(`${date}T${normaliseTime(time)}Z`);
  // Two passes settle the offset across a DST change.
  const first = wall - zoneOffsetMinutes(timeZone, wall) * 60_000;
  return wall - zoneOffsetMinutes(timeZone, first) * 60_000;
}
