import { canonicalJson } from '../shared/hash';
import type { Address, SealedSupplier, Supplier } from '../workday/records';
import type { VendorCommand, VendorPayload } from './commands';
import { truncate } from './text';

const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'limited',
  'co',
  'corp',
  'corporation',
  'company',
  'lp',
  'llp',
  'plc',
  'gmbh',
  'pty',
]);

// Runs of single letters were an abbreviation written with dots or spaces: "L.L.C." and "A B C" → "llc", "abc".
function joinInitials(words: string[]): string[] {
  const joined: string[] = [];
  let initials = '';
  for (const word of words) {
    if (Array.from(word).length === 1 && /\p{L}/u.test(word)) {
      initials += word;
      continue;
    }
    if (initials !== '') joined.push(initials);
    initials = '';
    joined.push(word);
  }
  if (initials !== '') joined.push(initials);
  return joined;
}

/** A vendor name reduced for matching: case, accents, punctuation, spacing and trailing legal suffixes ignored. */
export function normalizeVendorName(name: string): string {
  const words = joinInitials(
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/&/g, ' and ')
      .replace(/['’`]/g, '')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w !== ''),
  );
  // "Acme Construction Co., Inc." loses both suffixes; a name that is only a suffix keeps it.
  while (words.length > 1 && LEGAL_SUFFIXES.has(words.at(-1) ?? '')) words.pop();
  return words.join(' ');
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** ISO 3166-1 alpha-2 country and the subdivision part of an ISO 3166-2 region ("US-CA" → "CA"), when valid. */
function isoLocation(address: Address): { country_code?: string; state_code?: string } {
  const rawCountry = present(address.country)?.toUpperCase();
  let country = rawCountry !== undefined && /^[A-Z]{2}$/.test(rawCountry) ? rawCountry : undefined;
  const region = present(address.region)?.toUpperCase();
  let state: string | undefined;
  const iso = region === undefined ? null : /^([A-Z]{2})-([A-Z0-9]{1,3})$/.exec(region);
  if (iso?.[1] !== undefined && iso[2] !== undefined) {
    country ??= iso[1];
    // A region coded for another country than the address's is not trusted.
    if (country === iso[1]) state = iso[2];
  } else if (region !== undefined && /^[A-Z0-9]{1,3}$/.test(region)) {
    state = region;
  }
  return {
    ...(country === undefined ? {} : { country_code: country }),
    ...(state === undefined ? {} : { state_code: state }),
  };
}

function addressFields(address: Address | undefined): Partial<VendorPayload> {
  if (address === undefined) return {};
  const street = address.lines.map((l) => l.trim()).filter((l) => l !== '');
  const city = present(address.city);
  const zip = present(address.postalCode);
  return {
    ...(street.length === 0 ? {} : { address: street.join(', ') }),
    ...(city === undefined ? {} : { city }),
    ...(zip === undefined ? {} : { zip }),
    ...isoLocation(address),
  };
}

function contactFields(supplier: Supplier): Partial<VendorPayload> {
  const phone = present(supplier.phone);
  const email = present(supplier.email);
  const website = present(supplier.website);
  return {
    ...(phone === undefined ? {} : { business_phone: phone }),
    ...(email === undefined ? {} : { email_address: email }),
    ...(website === undefined ? {} : { website }),
  };
}

// Workday's type IDs ("EIN", "USA-EIN", "FEIN", "AUS-ABN") hold the EIN or ABN type Procore takes.
const REGISTER_TYPE = /(?:^|[^A-Z])F?(EIN|ABN)(?:[^A-Z]|$)/i;

// Passed on sealed: only the writer can open it, right before the vendor call.
function taxRegister(supplier: SealedSupplier): Partial<VendorPayload> {
  const type = REGISTER_TYPE.exec(supplier.taxId?.type ?? '')?.[1]?.toUpperCase();
  const sealed = supplier.taxId?.sealed;
  if ((type !== 'EIN' && type !== 'ABN') || sealed === undefined) return {};
  return { business_register_attributes: { type, sealed } };
}

/** A supplier still awaiting approval in Workday (or denied) is kept inactive in Procore until it is approved. */
function approved(supplier: Supplier): boolean {
  const status = supplier.approvalStatus?.trim().toLowerCase();
  return status === undefined || status === 'approved';
}

/** Supplier → company vendor command: origin id = supplier WID, name within Procore's 255 characters. */
export function mapSupplier(supplier: SealedSupplier): VendorCommand {
  const fullName = supplier.name.trim();
  const supplierId = present(supplier.supplierId);
  const payload: VendorPayload = {
    name: truncate(fullName),
    origin_id: supplier.wid,
    ...(supplierId === undefined ? {} : { origin_code: supplierId }),
    // The full name survives here when Procore's limit shortened it.
    origin_data: canonicalJson({ workdaySupplierName: fullName }),
    is_active: supplier.status?.trim().toUpperCase() !== 'INACTIVE' && approved(supplier),
    ...addressFields(supplier.address),
    ...contactFields(supplier),
    ...taxRegister(supplier),
  };
  const taxIdHash = supplier.taxId?.hash;
  return {
    resource: 'vendor',
    originId: supplier.wid,
    payload,
    match: { ...(taxIdHash === undefined ? {} : { taxIdHash }), normalizedName: normalizeVendorName(fullName) },
  };
}
