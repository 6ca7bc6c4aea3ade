import { allOf, type Predicate, referenceFilter, updatedWindow } from './criteria';
import type { SettlementAccount, Supplier, SupplierAddress, SupplierEmail, SupplierPhone, SupplierTaxId } from './data';
import { defineOperation, type OperationSpec } from './operation';
import { country, derivedWid, titleCase } from './reference-data';
import { currencyReference, refOf, statusIds, supplierIds } from './render-common';
import { bool, leaf, node, type RenderContext, reference, type Xml } from './xml-writer';

/** Get_Suppliers: Supplier_Data in the outline's element order, bank and tax details included. */

const CRITERIA = [
  'Updated_From_Date',
  'Updated_To_Date',
  'Supplier_Status_Reference',
  'Supplier_Category_Reference',
  'Supplier_Group_Reference',
  'Customer_Account_Number',
  'DUNS_Number',
  'Parent_Supplier_Reference',
] as const;

const spec: OperationSpec<Supplier> = {
  name: 'Get_Suppliers',
  itemElement: 'Supplier',
  referenceElement: 'Supplier_Reference',
  criteriaType: 'Supplier_Request_Criteria',
  idTypes: ['WID', 'External_Sourceable_ID', 'Supplier_ID', 'Supplier_Reference_ID'],
  criteriaElements: CRITERIA,
  hasAmounts: false,
  table: (store) => store.suppliers,
  ids: (s) => supplierIds(s),
  descriptor: (s) => s.name,
  criteria(criteria, scope, issues) {
    const predicates: Predicate<Supplier>[] = [
      updatedWindow(criteria, scope, issues),
      referenceFilter(criteria, 'Supplier_Status_Reference', (s) => {
        const current = s.statusHistory.at(-1)?.status;
        return current === undefined ? [] : statusIds(current, 'Business_Entity_Status_Value_ID');
      }),
      referenceFilter(criteria, 'Supplier_Category_Reference', (s) =>
        s.category
          ? [
              ['WID', s.category.wid],
              ['Supplier_Category_ID', s.category.id],
            ]
          : [],
      ),
    ];
    // Supplier groups, customer account numbers, DUNS and parents are not modelled: accepted, not applied.
    return allOf(predicates);
  },
  data: (s, ctx) => supplierData(s, ctx),
};

/** The Get_Suppliers operation. */
export const getSuppliers = defineOperation(spec);

function supplierData(s: Supplier, ctx: RenderContext): Xml {
  const taxIds = s.taxIds.map((t) => taxIdData(t, ctx));
  const accounts = s.settlementAccounts.map((a) => settlementAccount(a, ctx));
  return node('Supplier_Data', [
    leaf('Supplier_ID', s.supplierId),
    leaf('Supplier_Reference_ID', s.supplierReferenceId),
    leaf('Supplier_Name', s.name),
    leaf('Worktag_Only', bool(ctx, s.worktagOnly)),
    refOf('Approval_Status_Reference', ctx, s.approvalStatus, 'Document_Status_ID'),
    leaf('IRS_1099_Supplier', bool(ctx, s.irs1099)),
    ctx.supplierWidgetWrappers ? node('Tax_ID_Widget_Data', taxIds) : taxIds.join(''),
    refOf('Supplier_Category_Reference', ctx, s.category, 'Supplier_Category_ID'),
    refOf('Payment_Terms_Reference', ctx, s.paymentTerms, 'Payment_Terms_ID'),
    ...s.paymentTypesAccepted.map((p) => refOf('Payment_Types_Accepted_Reference', ctx, p, 'Payment_Type_ID')),
    refOf('Default_Payment_Type_Reference', ctx, s.defaultPaymentType, 'Payment_Type_ID'),
    node('Business_Entity_Data', [
      leaf('Business_Entity_Name', s.name),
      node('Contact_Data', [
        ...s.addresses.map((a) => addressData(a, ctx)),
        ...s.phones.map((p) => phoneData(p, ctx)),
        ...s.emails.map((e) => emailData(e, ctx)),
        ...s.websites.map((w) => node('Web_Address_Data', [leaf('Web_Address', w), usageData(ctx, 'BUSINESS', true)])),
      ]),
    ]),
    ctx.supplierWidgetWrappers ? node('Settlement_Account_Widget_Data', accounts) : accounts.join(''),
    ...s.statusHistory.map((status) =>
      node('Supplier_Status_Data', [
        reference(
          'Status_Reference',
          ctx,
          derivedWid('Business_Entity_Status_Value_ID', status.status),
          [['Business_Entity_Status_Value_ID', status.status]],
          status.descriptor,
        ),
        // The reason's reference-ID type is not known from public material, so only its WID is sent.
        status.reason ? reference('Reason_Reference', ctx, status.reason.wid, [], status.reason.descriptor) : '',
        leaf('Reason_Description', status.reasonDescription),
      ]),
    ),
    currencyReference('Currency_Reference', ctx, s.currency),
    ...s.acceptedCurrencies.map((c) => currencyReference('Accepted_Currencies_Reference', ctx, c)),
  ]);
}

function taxIdData(t: SupplierTaxId, ctx: RenderContext): Xml {
  return node('Tax_ID_Data', [
    leaf('Tax_ID_Text', t.value),
    reference(
      'Tax_ID_Type_Reference',
      ctx,
      derivedWid('Tax_ID_Type', t.type),
      [['Tax_ID_Type', t.type]],
      t.typeDescriptor,
    ),
    leaf('Transaction_Tax_ID', bool(ctx, t.transactionTaxId)),
    leaf('Primary_Tax_ID', bool(ctx, t.primary)),
  ]);
}

function countryReference(ctx: RenderContext, alpha2: string): Xml {
  const c = country(alpha2);
  return reference(
    'Country_Reference',
    ctx,
    derivedWid('Country', alpha2),
    [
      ['ISO_3166-1_Alpha-2_Code', alpha2],
      ['ISO_3166-1_Alpha-3_Code', c?.alpha3],
      ['ISO_3166-1_Numeric-3_Code', c?.numeric],
    ],
    c?.name ?? alpha2,
  );
}

/** Usage_Data; `primaryAsWords` reproduces Workday mixing `1` and `true` for wd:Primary in one document. */
function usageData(ctx: RenderContext, usage: string, primary: boolean, primaryAsWords = false): Xml {
  const primaryText = primaryAsWords ? String(primary) : bool(ctx, primary);
  return node(
    'Usage_Data',
    [
      node(
        'Type_Data',
        [
          reference(
            'Type_Reference',
            ctx,
            derivedWid('Communication_Usage_Type_ID', usage),
            [['Communication_Usage_Type_ID', usage]],
            titleCase(usage),
          ),
        ],
        { 'wd:Primary': primaryText },
      ),
    ],
    { 'wd:Public': bool(ctx, true) },
  );
}

/** Workday's Formatted_Address separates lines with the literal text `&#xa;` (so it arrives as `&amp;#xa;`). */
function formattedAddress(a: SupplierAddress): string {
  const region = a.regionId?.split('-').at(-1);
  const cityLine = [a.city, [region, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [...a.lines, cityLine, country(a.countryCode)?.name ?? a.countryCode].filter(Boolean).join('&#xa;');
}

function addressData(a: SupplierAddress, ctx: RenderContext): Xml {
  return node(
    'Address_Data',
    [
      countryReference(ctx, a.countryCode),
      leaf('Last_Modified', ctx.dateTime(a.lastModified)),
      ...a.lines.map((line, i) =>
        leaf('Address_Line_Data', line, {
          'wd:Type': `ADDRESS_LINE_${i + 1}`,
          'wd:Descriptor': ctx.descriptors ? `Address Line ${i + 1}` : undefined,
        }),
      ),
      leaf('Municipality', a.city),
      a.regionId
        ? reference(
            'Country_Region_Reference',
            ctx,
            derivedWid('Country_Region_ID', a.regionId),
            [['Country_Region_ID', a.regionId]],
            a.regionDescriptor,
          )
        : '',
      leaf('Country_Region_Descriptor', a.regionDescriptor),
      leaf('Postal_Code', a.postalCode),
      usageData(ctx, a.usage, a.primary),
      reference('Address_Reference', ctx, a.wid, [['Address_ID', a.addressId]], a.addressId),
    ],
    {
      'wd:Effective_Date': ctx.date(a.effectiveDate),
      'wd:Address_Format_Type': 'Basic',
      'wd:Formatted_Address': formattedAddress(a),
      'wd:Defaulted_Business_Site_Address': bool(ctx, false),
    },
  );
}

function phoneData(p: SupplierPhone, ctx: RenderContext): Xml {
  const digits = `${p.areaCode ?? ''}${p.number}`.replace(/\D/g, '');
  const local = p.areaCode ? `(${p.areaCode}) ${p.number}` : p.number;
  const formatted = `+${p.internationalCode} ${local}${p.extension ? ` x${p.extension}` : ''}`;
  const v45 = ctx.phoneFormatAttributes;
  // The formats of the v45.1 attributes are inferred; only their names are in the schema.
  const attributes = v45
    ? {
        'wd:Area_Code': p.areaCode,
        'wd:International_Formatted_Phone': formatted,
        'wd:E164_Formatted_Phone': `+${p.internationalCode}${digits}`,
      }
    : { 'wd:Formatted_Phone': formatted };
  return node(
    'Phone_Data',
    [
      leaf('Country_ISO_Code', country(p.countryCode)?.alpha3 ?? p.countryCode),
      leaf('International_Phone_Code', p.internationalCode),
      v45 ? '' : leaf('Area_Code', p.areaCode),
      leaf('Phone_Number', v45 && p.areaCode ? `${p.areaCode}-${p.number}` : p.number),
      leaf('Phone_Extension', p.extension),
      reference(
        'Phone_Device_Type_Reference',
        ctx,
        derivedWid('Phone_Device_Type_ID', p.deviceType),
        [['Phone_Device_Type_ID', p.deviceType]],
        p.deviceType,
      ),
      usageData(ctx, p.usage, p.primary, true),
    ],
    attributes,
  );
}

function emailData(e: SupplierEmail, ctx: RenderContext): Xml {
  return node('Email_Address_Data', [leaf('Email_Address', e.address), usageData(ctx, e.usage, e.primary, true)]);
}

function settlementAccount(a: SettlementAccount, ctx: RenderContext): Xml {
  return node('Settlement_Account_Data', [
    leaf('Settlement_Bank_Account_ID', a.accountId),
    countryReference(ctx, a.countryCode),
    currencyReference('Currency_Reference', ctx, a.currency),
    leaf('Bank_Account_Nickname', a.nickname),
    reference(
      'Bank_Account_Type_Reference',
      ctx,
      derivedWid('Bank_Account_Type_ID', a.accountType),
      [['Bank_Account_Type_ID', a.accountType]],
      a.accountType === 'SA' ? 'Savings' : 'Checking',
    ),
    leaf('Bank_Name', a.bankName),
    leaf('Routing_Transit_Number', a.routingNumber),
    leaf('Branch_ID', a.branchId),
    leaf('Bank_Account_Number', a.accountNumber),
    leaf('Bank_Account_Name', a.accountName),
    leaf('IBAN', a.iban),
    leaf('SWIFT_Bank_Identification_Code', a.swift),
    leaf('Inactive', bool(ctx, a.inactive)),
  ]);
}
