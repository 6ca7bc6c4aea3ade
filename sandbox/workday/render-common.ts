import type { LineSplit, Ref, StatusValue, SupplierLink, Worktag } from './data';
import { derivedWid } from './reference-data';
import { escapeAttr, escapeText, type IdPair, leaf, node, type RenderContext, reference, type Xml } from './xml-writer';

/** References and blocks shared by the purchase-order, invoice and adjustment serialisers. */

export function supplierIds(s: {
  supplierId?: string | undefined;
  supplierReferenceId?: string | undefined;
}): IdPair[] {
  return [
    ['Supplier_ID', s.supplierId],
    ['Supplier_Reference_ID', s.supplierReferenceId],
  ];
}

/** A Supplier_Reference (or Resource_Provider) element for a document's supplier. */
export function supplierReference(name: string, ctx: RenderContext, supplier: SupplierLink): Xml {
  return reference(name, ctx, supplier.wid, supplierIds(supplier), supplier.name);
}

/** A company is named by both Company_Reference_ID and Organization_Reference_ID. */
export function companyIds(company: Ref): IdPair[] {
  return [
    ['WID', company.wid],
    ['Company_Reference_ID', company.id],
    ['Organization_Reference_ID', company.id],
  ];
}

/** A Company_Reference element. */
export function companyReference(ctx: RenderContext, company: Ref): Xml {
  return reference('Company_Reference', ctx, company.wid, companyIds(company).slice(1), company.descriptor);
}

/** Workday's currency descriptor is the ISO code itself. */
export function currencyReference(name: string, ctx: RenderContext, code: string | undefined): Xml {
  if (!code) return '';
  return reference(name, ctx, derivedWid('Currency', code), [['Currency_ID', code]], code);
}

/** A status value's IDs: its derived WID and its `idType` ID (e.g. Document_Status_ID). */
export function statusIds(id: string, idType: string): IdPair[] {
  return [
    ['WID', derivedWid(idType, id)],
    [idType, id],
  ];
}

/** A Document_Status / Document_Payment_Status reference. */
export function statusReference(name: string, ctx: RenderContext, status: StatusValue, idType: string): Xml {
  return reference(name, ctx, derivedWid(idType, status.id), [[idType, status.id]], status.descriptor);
}

/** A reference with one business ID of type `idType`, or nothing. */
export function refOf(name: string, ctx: RenderContext, ref: Ref | undefined, idType: string): Xml {
  return ref ? reference(name, ctx, ref.wid, [[idType, ref.id]], ref.descriptor) : '';
}

/** Worktag types of organisations (OrganizationReferenceEnumeration), which also answer to Organization_Reference_ID. */
const ORGANIZATION_WORKTAG_TYPES: ReadonlySet<string> = new Set([
  'Company_Reference_ID',
  'Cost_Center_Reference_ID',
  'Custom_Organization_Reference_ID',
  'Region_Reference_ID',
]);

/** One reference element per worktag (Worktags_Reference or Worktag_Reference). */
export function worktagReferences(name: string, ctx: RenderContext, worktags: readonly Worktag[]): Xml[] {
  return worktags.map((w) => {
    if (!ctx.organizationWorktagsWithGenericId || !ORGANIZATION_WORKTAG_TYPES.has(w.type)) {
      return reference(name, ctx, w.wid, [[w.type, w.id]], w.descriptor);
    }
    const ids: [string, string][] = [
      ['WID', w.wid],
      ['Organization_Reference_ID', w.id],
      [w.type, w.id],
    ];
    // No order is guaranteed: rotate by the WID, so the generic ID comes first, second or last.
    const turn = Number.parseInt(w.wid.slice(-2), 16) % ids.length;
    const ordered = [...ids.slice(turn), ...ids.slice(0, turn)];
    return node(
      name,
      ordered.map(([type, value]) => `<wd:ID wd:type="${escapeAttr(type)}">${escapeText(value)}</wd:ID>`),
      { 'wd:Descriptor': ctx.descriptors ? w.descriptor : undefined },
    );
  });
}

/** Split data (Business_Document_Line_Split_Data / Supplier_Invoice_Line_Split_Data). */
export function splitData(
  name: string,
  referenceName: string,
  idName: string,
  ctx: RenderContext,
  split: LineSplit,
  extra: readonly Xml[] = [],
): Xml {
  return node(name, [
    reference(referenceName, ctx, split.wid, [], undefined),
    leaf(idName, split.splitId),
    leaf('Quantity', split.quantity),
    leaf('Extended_Amount', split.extendedAmount),
    leaf('Memo', split.memo),
    ...worktagReferences('Worktag_Reference', ctx, split.worktags),
    ...extra,
  ]);
}
