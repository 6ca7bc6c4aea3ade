import { readFileSync } from 'node:fs';

/** Builders for small Workday SOAP documents, shaped like the fixtures in test/fixtures/workday. */

export function readFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/workday/${name}`, import.meta.url), 'utf8');
}

export function wid(n: number): string {
  return n.toString(16).padStart(32, '0');
}

export function soapEnvelope(body: string, prefix = 'env'): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${prefix}:Envelope xmlns:${prefix}="http://schemas.xmlsoap.org/soap/envelope/">` +
    `<${prefix}:Body>${body}</${prefix}:Body></${prefix}:Envelope>`
  );
}

interface PageOptions {
  totalResults?: number;
  totalPages?: number;
  pageResults?: number;
  page?: number;
  /** Replaces the whole Response_Results element (use '' to leave it out). */
  resultsXml?: string;
  prefix?: string;
}

/** A Get_X_Response page; Response_Data is left out when there are no records, as Workday does. */
export function responsePage(operation: string, records: string[], options: PageOptions = {}): string {
  const results =
    options.resultsXml ??
    '<wd:Response_Results>' +
      `<wd:Total_Results>${options.totalResults ?? records.length}</wd:Total_Results>` +
      `<wd:Total_Pages>${options.totalPages ?? (records.length === 0 ? 0 : 1)}</wd:Total_Pages>` +
      `<wd:Page_Results>${options.pageResults ?? records.length}</wd:Page_Results>` +
      `<wd:Page>${options.page ?? 1}</wd:Page>` +
      '</wd:Response_Results>';
  const data = records.length === 0 ? '' : `<wd:Response_Data>${records.join('')}</wd:Response_Data>`;
  return soapEnvelope(
    `<wd:${operation}_Response xmlns:wd="urn:com.workday/bsvc" wd:version="v45.1">${results}${data}</wd:${operation}_Response>`,
    options.prefix,
  );
}

/** `<wd:Name wd:Descriptor="…"><wd:ID wd:type="…">…</wd:ID>…</wd:Name>`; values are inserted as given (already escaped). */
export function ref(name: string, ids: Record<string, string>, descriptor?: string): string {
  const attribute = descriptor === undefined ? '' : ` wd:Descriptor="${descriptor}"`;
  const children = Object.entries(ids)
    .map(([type, value]) => `<wd:ID wd:type="${type}">${value}</wd:ID>`)
    .join('');
  return `<wd:${name}${attribute}>${children}</wd:${name}>`;
}

function element(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<wd:${name}>${value}</wd:${name}>`;
}

interface SupplierXml {
  wid?: string | undefined;
  supplierId?: string;
  name?: string | undefined;
  /** Extra Supplier_Data children, in schema order after Supplier_Name. */
  data?: string;
}

export function supplierXml(options: SupplierXml = {}): string {
  const id = 'wid' in options ? options.wid : wid(1);
  const name = 'name' in options ? options.name : 'Harbor Steel Supply';
  const ids = { ...(id === undefined ? {} : { WID: id }), Supplier_ID: options.supplierId ?? 'S-0001' };
  return (
    `<wd:Supplier>${ref('Supplier_Reference', ids, name)}<wd:Supplier_Data>` +
    `${element('Supplier_ID', options.supplierId ?? 'S-0001')}${element('Supplier_Name', name)}${options.data ?? ''}` +
    '</wd:Supplier_Data></wd:Supplier>'
  );
}

export function worktagXml(name: 'Worktags_Reference' | 'Worktag_Reference', type: string, id: string): string {
  return ref(name, { WID: wid(0xfeed), [type]: id }, `${id} descriptor`);
}

interface GoodsLineXml {
  id?: string;
  lineNumber?: string;
  extendedAmount?: string | undefined;
  /** Children after Extended_Amount: Memo, worktags, splits. */
  tail?: string;
}

export function goodsLineXml(options: GoodsLineXml = {}): string {
  const amount = 'extendedAmount' in options ? options.extendedAmount : '100.00';
  return (
    '<wd:Goods_Line_Data>' +
    element('Goods_Purchase_Order_Line_ID', options.id ?? 'POL-1') +
    element('Line_Number', options.lineNumber ?? '1') +
    element('Item_Description', 'Anchor bolts') +
    element('Quantity', '4') +
    element('Unit_Cost', '25.00') +
    element('Extended_Amount', amount) +
    (options.tail ?? worktagXml('Worktags_Reference', 'Project_ID', 'PRJ-1')) +
    '</wd:Goods_Line_Data>'
  );
}

interface PurchaseOrderXml {
  wid?: string;
  documentNumber?: string;
  currency?: string;
  /** Whole Purchase_Order_Data elements; default one built from `lines`. */
  data?: string[];
  lines?: string[];
}

export function purchaseOrderDataXml(options: Pick<PurchaseOrderXml, 'documentNumber' | 'currency' | 'lines'>): string {
  return (
    '<wd:Purchase_Order_Data>' +
    element('Document_Number', options.documentNumber ?? 'PO-1') +
    ref('Purchase_Order_Document_Status_Reference', { Document_Status_ID: 'APPROVED' }, 'Approved') +
    ref('Supplier_Reference', { WID: wid(1), Supplier_ID: 'S-0001' }) +
    element('Document_Date', '2026-01-15') +
    ref('Currency_Reference', { Currency_ID: options.currency ?? 'USD' }) +
    (options.lines ?? [goodsLineXml()]).join('') +
    '</wd:Purchase_Order_Data>'
  );
}

export function purchaseOrderXml(options: PurchaseOrderXml = {}): string {
  const data = options.data ?? [purchaseOrderDataXml(options)];
  return (
    '<wd:Purchase_Order>' +
    ref('Purchase_Order_Reference', {
      WID: options.wid ?? wid(0x100),
      Document_Number: options.documentNumber ?? 'PO-1',
    }) +
    data.join('') +
    '</wd:Purchase_Order>'
  );
}

interface InvoiceXml {
  kind?: 'invoice' | 'adjustment';
  wid?: string;
  /** Header children after the supplier reference (dates, totals, numbers…). */
  header?: string;
  lines?: string[];
}

export function invoiceLineXml(children: string): string {
  return `<wd:Invoice_Line_Replacement_Data>${children}</wd:Invoice_Line_Replacement_Data>`;
}

export function invoiceXml(options: InvoiceXml = {}): string {
  const adjustment = options.kind === 'adjustment';
  const record = adjustment ? 'Supplier_Invoice_Adjustment' : 'Supplier_Invoice';
  const header =
    options.header ??
    (adjustment
      ? '<wd:Invoice_Number>ADJ-1</wd:Invoice_Number><wd:Adjustment_Date>2026-02-01</wd:Adjustment_Date><wd:Control_Total_Amount>10.00</wd:Control_Total_Amount>'
      : '<wd:Invoice_Number>INV-1</wd:Invoice_Number><wd:Invoice_Date>2026-02-01</wd:Invoice_Date><wd:Control_Amount_Total>10.00</wd:Control_Amount_Total>');
  const lines = options.lines ?? [
    invoiceLineXml('<wd:Line_Order>1</wd:Line_Order><wd:Extended_Amount>10.00</wd:Extended_Amount>'),
  ];
  return (
    `<wd:${record}>${ref(`${record}_Reference`, { WID: options.wid ?? wid(0x200) })}<wd:${record}_Data>` +
    ref('Currency_Reference', { Currency_ID: 'USD' }) +
    ref('Supplier_Reference', { WID: wid(1), Supplier_ID: 'S-0001' }) +
    header +
    lines.join('') +
    `</wd:${record}_Data></wd:${record}>`
  );
}

interface FaultXml {
  code: string;
  string?: string;
  detail?: string;
}

/** A SOAP 1.1 fault as Workday sends it with HTTP 500. */
export function soapFault(fault: FaultXml): string {
  return soapEnvelope(
    '<SOAP-ENV:Fault xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wd="urn:com.workday/bsvc">' +
      `<faultcode>${fault.code}</faultcode>` +
      (fault.string === undefined ? '' : `<faultstring>${fault.string}</faultstring>`) +
      (fault.detail === undefined ? '' : `<detail>${fault.detail}</detail>`) +
      '</SOAP-ENV:Fault>',
    'SOAP-ENV',
  );
}
