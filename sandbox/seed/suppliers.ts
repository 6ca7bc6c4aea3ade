import type { SettlementAccount, Supplier, SupplierLink, SupplierTaxId } from '../workday/data';
import type { FirmLayout } from './layout';
import { CRAFTED_NAMES, legalSuffix, nameBody } from './names';
import { cachedRef } from './refs';
import { indexedWid, pad, Rand, STREAM, unit } from './rng';

/** What a supplier is there to exercise; `regular` is the bulk. */
export type SupplierKind =
  | 'regular'
  | 'ampersand'
  | 'apostrophe'
  | 'accent'
  | 'emoji'
  | 'longName'
  | 'ssnTaxId'
  | 'foreignTaxId'
  | 'noTaxId'
  | 'inactive'
  | 'einMatch'
  | 'einMatchUnformatted'
  | 'nameMatch'
  | 'inactiveVendorMatch'
  | 'duplicateVendors'
  | 'otherIntegration'
  | 'pendingApproval';

/** Suppliers that must have no documents: their vendor is quarantined, inactive or not approved yet. */
const NO_DOCUMENTS: ReadonlySet<SupplierKind> = new Set([
  'inactive',
  'duplicateVendors',
  'otherIntegration',
  'pendingApproval',
]);

const slotCache = new Map<string, SupplierKind[]>();

/** The special suppliers, in index order, before the regular ones. */
export function supplierSlots(layout: FirmLayout): SupplierKind[] {
  const key = layout.scale;
  const cached = slotCache.get(key);
  if (cached) return cached;
  const { spec } = layout;
  const small = layout.scale === 'small';
  const slots: SupplierKind[] = [
    ...CRAFTED_NAMES.ampersand.slice(0, small ? 1 : 2).map((): SupplierKind => 'ampersand'),
    ...CRAFTED_NAMES.apostrophe.slice(0, small ? 2 : 3).map((): SupplierKind => 'apostrophe'),
    ...CRAFTED_NAMES.accent.slice(0, small ? 1 : 3).map((): SupplierKind => 'accent'),
    'emoji',
    'longName',
    'ssnTaxId',
    'foreignTaxId',
    'noTaxId',
    'inactive',
    'einMatchUnformatted',
    ...Array.from({ length: spec.einMatches - 1 }, (): SupplierKind => 'einMatch'),
    ...Array.from({ length: spec.nameMatches }, (): SupplierKind => 'nameMatch'),
    'inactiveVendorMatch',
    'duplicateVendors',
    'otherIntegration',
    'pendingApproval',
  ];
  slotCache.set(key, slots);
  return slots;
}

/** The kind of supplier `index`: a slot, else regular (or inactive at the scale's rate). */
export function supplierKind(layout: FirmLayout, index: number): SupplierKind {
  const slots = supplierSlots(layout);
  const slot = slots[index];
  if (slot) return slot;
  return unit(layout.seed, STREAM.supplierKind, index) < layout.spec.inactiveRate ? 'inactive' : 'regular';
}

/** Whether POs and invoices may name supplier `index`. */
function takesDocuments(layout: FirmLayout, index: number): boolean {
  return !NO_DOCUMENTS.has(supplierKind(layout, index));
}

/** A supplier that may carry documents, chosen deterministically from `draw` (walks past the others). */
export function documentSupplier(layout: FirmLayout, draw: number): number {
  const count = layout.spec.suppliers;
  let index = draw % count;
  for (let step = 0; step < count; step++) {
    if (takesDocuments(layout, index)) return index;
    index = (index + 1) % count;
  }
  throw new Error('no supplier can carry documents');
}

/** The position of a crafted kind among the slots of that kind (which crafted name it gets). */
function ordinalOfKind(layout: FirmLayout, index: number, kind: SupplierKind): number {
  return supplierSlots(layout)
    .slice(0, index)
    .filter((k) => k === kind).length;
}

/** The supplier's name body and legal suffix (crafted names have no separate suffix). */
export function supplierNameParts(layout: FirmLayout, index: number): { body: string; suffix: string; full: string } {
  const kind = supplierKind(layout, index);
  if (kind === 'ampersand' || kind === 'apostrophe' || kind === 'accent' || kind === 'emoji' || kind === 'longName') {
    const full = CRAFTED_NAMES[kind][ordinalOfKind(layout, index, kind)] ?? CRAFTED_NAMES[kind][0];
    return { body: full, suffix: '', full };
  }
  const body = nameBody(layout.seed, index);
  const matchable = kind === 'nameMatch' || kind === 'inactiveVendorMatch' || kind === 'duplicateVendors';
  const suffix = legalSuffix(layout.seed, index, matchable);
  return { body, suffix, full: `${body} ${suffix}` };
}

/** The supplier's EIN: a bijection of its index, so no two suppliers share one. */
export function supplierEin(layout: FirmLayout, index: number): string {
  const digits = pad((index * 7_654_321 + (layout.seed % 1000) * 1_000_003 + 120_000_000) % 1_000_000_000, 9);
  return `${digits.slice(0, 2)}-${digits.slice(2)}`;
}

/** The moment supplier `index` was entered: spread over the year before the documents. */
export function supplierEnteredAt(layout: FirmLayout, index: number): number {
  const start = layout.anchorMs - 400 * 86_400_000;
  return start + Math.floor((index * 300 * 86_400_000) / Math.max(1, layout.spec.suppliers));
}

function supplierRand(layout: FirmLayout, index: number): { rand: Rand; wid: string } {
  const rand = Rand.of(layout.seed, STREAM.supplier, index);
  return { rand, wid: indexedWid(layout.seed, STREAM.supplier, index, rand) };
}

/** How documents reference supplier `index` (cheap: no full supplier is built). */
export function supplierLinkAt(layout: FirmLayout, index: number): SupplierLink {
  return {
    wid: supplierRand(layout, index).wid,
    supplierId: `S-${pad(index + 1, 6)}`,
    supplierReferenceId: `SUPPLIER-6-${index + 1}`,
    name: supplierNameParts(layout, index).full,
  };
}

const US_PLACES = [
  ['Salt Lake City', 'USA-UT', 'Utah', '84101'],
  ['Boise', 'USA-ID', 'Idaho', '83702'],
  ['Phoenix', 'USA-AZ', 'Arizona', '85004'],
  ['Sacramento', 'USA-CA', 'California', '95814'],
  ['Denver', 'USA-CO', 'Colorado', '80202'],
  ['Reno', 'USA-NV', 'Nevada', '89501'],
  ['Portland', 'USA-OR', 'Oregon', '97204'],
  ['Seattle', 'USA-WA', 'Washington', '98104'],
] as const;

function taxIds(layout: FirmLayout, index: number, kind: SupplierKind, rand: Rand): SupplierTaxId[] {
  if (kind === 'noTaxId') return [];
  if (kind === 'ssnTaxId') {
    const value = `${rand.int(100, 665)}-${pad(rand.int(1, 99), 2)}-${pad(rand.int(1, 9999), 4)}`;
    return [
      {
        type: 'USA-SSN',
        typeDescriptor: 'Social Security Number (SSN)',
        value,
        primary: true,
        transactionTaxId: false,
      },
    ];
  }
  if (kind === 'foreignTaxId') {
    const value = `GB${pad(rand.int(100_000_000, 999_999_999), 9)}`;
    return [
      { type: 'GBR-VATREGNO', typeDescriptor: 'VAT Registration Number', value, primary: true, transactionTaxId: true },
    ];
  }
  const ein = {
    type: 'USA-EIN',
    typeDescriptor: 'Employer Identification Number (EIN)',
    value: supplierEin(layout, index),
    primary: true,
    transactionTaxId: false,
  };
  return [ein];
}

function settlementAccounts(index: number, name: string, rand: Rand): SettlementAccount[] {
  if (index % 11 === 5) return [];
  const account = (n: number, inactive: boolean): SettlementAccount => ({
    accountId: `SETTLEMENT_BANK_ACCOUNT-6-${index + 1}-${n}`,
    countryCode: 'US',
    currency: 'USD',
    nickname: n === 1 ? 'Operating' : 'Old operating',
    accountType: 'DDA',
    bankName: rand.pick(['Zions Bank', 'Wells Fargo Bank', 'U.S. Bank', 'KeyBank']),
    routingNumber: pad(rand.int(10_000_000, 329_999_999), 9),
    accountNumber: pad(rand.int(1_000_000, 999_999_999), 12),
    accountName: name,
    inactive,
  });
  return index % 7 === 3 ? [account(1, false), account(2, true)] : [account(1, false)];
}

/** Supplier `index` as Workday holds it (bank accounts and every tax ID included). */
export function supplierAt(layout: FirmLayout, index: number): Supplier {
  const { rand, wid } = supplierRand(layout, index);
  const kind = supplierKind(layout, index);
  const { full: name } = supplierNameParts(layout, index);
  const n = index + 1;
  const foreign = kind === 'foreignTaxId';
  const [city, regionId, regionDescriptor, postalCode] = rand.pick(US_PLACES);
  const domain = `supplier${n}.example.com`;
  const inactive = kind === 'inactive';
  return {
    wid,
    supplierId: `S-${pad(n, 6)}`,
    supplierReferenceId: `SUPPLIER-6-${n}`,
    name,
    worktagOnly: false,
    // A supplier still in approval (Approval_Status_Reference) is active in its status history all the same.
    approvalStatus:
      kind === 'pendingApproval'
        ? cachedRef('Document_Status_ID', 'IN_PROGRESS', 'In Progress')
        : cachedRef('Document_Status_ID', 'APPROVED', 'Approved'),
    irs1099: kind === 'ssnTaxId',
    taxIds: taxIds(layout, index, kind, rand),
    category: rand.chance(0.7)
      ? cachedRef('Supplier_Category_ID', 'SUBCONTRACTORS', 'Subcontractors')
      : cachedRef('Supplier_Category_ID', 'MATERIAL_SUPPLIERS', 'Material Suppliers'),
    paymentTerms: cachedRef('Payment_Terms_ID', 'NET_30', 'Net 30'),
    paymentTypesAccepted: [cachedRef('Payment_Type_ID', 'ACH', 'ACH'), cachedRef('Payment_Type_ID', 'Check', 'Check')],
    defaultPaymentType: cachedRef('Payment_Type_ID', 'ACH', 'ACH'),
    addresses: [
      {
        wid: rand.wid(),
        addressId: `ADDRESS_REFERENCE-6-${n}`,
        effectiveDate: '2021-01-01',
        lastModified: Date.UTC(2021, 0, 1, 17),
        lines: foreign
          ? ['14 Kingsway', 'Floor 2']
          : [`${rand.int(100, 9899)} ${rand.pick(['Main', 'Industrial', 'Commerce', 'State'])} Street`],
        city: foreign ? 'London' : city,
        ...(foreign ? {} : { regionId, regionDescriptor }),
        postalCode: foreign ? 'WC2B 6LH' : postalCode,
        countryCode: foreign ? 'GB' : 'US',
        usage: 'BUSINESS',
        primary: true,
      },
    ],
    phones: [
      {
        countryCode: foreign ? 'GB' : 'US',
        internationalCode: foreign ? '44' : '1',
        areaCode: foreign ? '20' : String(rand.int(201, 989)),
        number: foreign ? `7946 ${pad(rand.int(0, 9999), 4)}` : `555-${pad(rand.int(0, 9999), 4)}`,
        deviceType: 'Landline',
        usage: 'BUSINESS',
        primary: true,
      },
    ],
    emails: [{ address: `ap@${domain}`, usage: 'BUSINESS', primary: true }],
    websites: [`https://${domain}`],
    settlementAccounts: settlementAccounts(index, name, rand),
    statusHistory: inactive
      ? [
          { status: 'ACTIVE', descriptor: 'Active' },
          { status: 'INACTIVE', descriptor: 'Inactive', reasonDescription: 'No work in over two years' },
        ]
      : [{ status: 'ACTIVE', descriptor: 'Active' }],
    currency: foreign ? 'GBP' : 'USD',
    acceptedCurrencies: foreign ? ['GBP', 'USD'] : ['USD'],
  };
}
