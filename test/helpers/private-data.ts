import { expect } from 'vitest';
import type { Sandbox } from '../../sandbox';

/** A private value of the firm's Workday suppliers, named for assertion messages. */
export interface PrivateValue {
  what: string;
  value: string;
}

/** Every tax ID (EIN or not) and bank number (account, routing, IBAN, branch) the firm's suppliers hold in Workday. */
export function firmPrivateData(sandbox: Sandbox): PrivateValue[] {
  return sandbox.workday.store.suppliers
    .all()
    .flatMap((supplier) => [
      ...supplier.taxIds.map((t) => ({ what: `${supplier.name} ${t.type}`, value: t.value })),
      ...supplier.settlementAccounts.flatMap((a) =>
        [a.accountNumber, a.routingNumber, a.iban, a.branchId]
          .filter((v): v is string => v !== undefined && v !== '')
          .map((value) => ({ what: `${supplier.name} bank ${a.accountId}`, value })),
      ),
    ]);
}

/** The forms a value may be stored in: as Workday formats it, with dashes or spaces or neither, and their base64. */
export function formsOf(value: string): string[] {
  const compact = value.replace(/[^0-9A-Za-z]/g, '');
  const groups = value.split(/[^0-9A-Za-z]+/).filter((g) => g !== '');
  const forms = new Set([value, compact, groups.join('-'), groups.join(' ')]);
  for (const form of [...forms]) forms.add(Buffer.from(form).toString('base64'));
  return [...forms];
}

/**
 * Asserts that no form of any private value occurs in any of the named texts or byte buffers, naming the value's
 * owner and where it was found (never the value).
 */
export function expectNoPrivateData(values: readonly PrivateValue[], places: Record<string, string | Buffer>): void {
  const leaks: string[] = [];
  for (const { what, value } of values) {
    for (const form of formsOf(value)) {
      expect(form.length, what).toBeGreaterThanOrEqual(8);
      for (const [where, content] of Object.entries(places)) {
        if (content.includes(form)) leaks.push(`${what} in ${where}`);
      }
    }
  }
  expect(leaks).toEqual([]);
}

/**
 * Asserts that Procore holds each EIN the connector had to send: every vendor carrying an EIN supplier's WID has
 * that EIN as its business register, and no vendor carries a non-EIN tax ID (SSN, VAT). Answers how many EIN
 * vendors were checked.
 */
export function expectEinsInProcore(sandbox: Sandbox): number {
  const vendors = new Map(sandbox.procore.state.vendors().map((v) => [v.origin_id, v]));
  let checked = 0;
  for (const supplier of sandbox.workday.store.suppliers.all()) {
    const taxId = supplier.taxIds.find((t) => t.primary) ?? supplier.taxIds[0];
    const vendor = vendors.get(supplier.wid);
    if (taxId === undefined || vendor === undefined) continue;
    if (/(^|[^A-Z])F?(EIN|ABN)([^A-Z]|$)/i.test(taxId.type)) {
      expect(vendor.business_register?.identifier, supplier.name).toBe(taxId.value);
      checked += 1;
    } else {
      expect(vendor.business_register?.identifier, supplier.name).not.toBe(taxId.value);
    }
  }
  return checked;
}
