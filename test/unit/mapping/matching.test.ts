import { describe, expect, it } from 'vitest';
import type { CommitmentCommand, MapResult, VendorCommand } from '../../../lambdas/mapping/commands';
import { matchCommitment, matchVendor, type ProcoreVendorSummary } from '../../../lambdas/mapping/matching';
import { mapPurchaseOrder } from '../../../lambdas/mapping/purchase-order';
import { mapSupplier } from '../../../lambdas/mapping/vendor';
import { hashTaxId } from '../../../lambdas/shared/hash';
import { buildConfig, buildPurchaseOrder, buildSupplier, wid } from './builders';

const SUPPLIER_WID = wid('supplier-1');
const TAX = hashTaxId('12-3456789');

function vendorCommand(overrides: Parameters<typeof buildSupplier>[0] = {}): VendorCommand {
  return mapSupplier(buildSupplier(overrides));
}

function vendor(overrides: Partial<ProcoreVendorSummary> & { id: number }): ProcoreVendorSummary {
  return { name: 'Someone Else Ltd', origin_id: null, ...overrides };
}

describe('matchVendor()', () => {
  it('owns the vendor that carries our origin id', () => {
    const vendors = [vendor({ id: 1, name: 'Acme Concrete' }), vendor({ id: 2, origin_id: SUPPLIER_WID })];

    expect(matchVendor(vendorCommand(), vendors)).toEqual({ kind: 'owned', vendorId: 2 });
  });

  it('creates when nothing matches', () => {
    expect(matchVendor(vendorCommand(), [vendor({ id: 1 })])).toEqual({ kind: 'create' });
  });

  it('links a vendor without origin id by tax ID before any name match', () => {
    const vendors = [
      vendor({ id: 1, name: 'Acme Concrete' }),
      vendor({ id: 2, name: 'ACME Holdings', taxIdHash: TAX }),
    ];

    expect(matchVendor(vendorCommand(), vendors)).toEqual({ kind: 'link', vendorId: 2, by: 'taxId' });
  });

  it.each(['ACME CONCRETE', 'Acme Concrete LLC', 'acme concrete, l.l.c.', 'Ácme  Concrete Co.'])(
    'links by normalised name: %j',
    (name) => {
      expect(matchVendor(vendorCommand(), [vendor({ id: 7, name, origin_id: '' })])).toEqual({
        kind: 'link',
        vendorId: 7,
        by: 'name',
      });
    },
  );

  it('counts inactive vendors', () => {
    const vendors = [vendor({ id: 3, name: 'Acme Concrete Inc', is_active: false })];

    expect(matchVendor(vendorCommand(), vendors)).toEqual({ kind: 'link', vendorId: 3, by: 'name' });
  });

  it('does not link by name a vendor whose tax ID is a different one', () => {
    const vendors = [vendor({ id: 3, name: 'Acme Concrete Inc', taxIdHash: hashTaxId('99-9999999') })];

    expect(matchVendor(vendorCommand(), vendors)).toEqual({ kind: 'create' });
  });

  it('reports a conflict naming both candidates when two vendors match by name', () => {
    const vendors = [
      vendor({ id: 3, name: 'Acme Concrete Inc' }),
      vendor({ id: 4, name: 'ACME CONCRETE', is_active: false }),
    ];

    const match = matchVendor(vendorCommand(), vendors);

    expect(match.kind).toBe('conflict');
    expect(match).toMatchObject({
      reason: expect.stringContaining(
        'matches 2 Procore vendors by name: 3 "Acme Concrete Inc", 4 "ACME CONCRETE" (inactive)',
      ),
    });
  });

  it('reports a conflict when two vendors match by tax ID', () => {
    const vendors = [vendor({ id: 3, taxIdHash: TAX }), vendor({ id: 4, taxIdHash: TAX })];

    expect(matchVendor(vendorCommand(), vendors)).toMatchObject({
      kind: 'conflict',
      reason: expect.stringContaining('by tax ID'),
    });
  });

  it('never takes over a vendor owned by another integration', () => {
    const vendors = [
      vendor({ id: 9, name: 'Acme Concrete', origin_id: 'SAGE-123' }),
      vendor({ id: 10, name: 'Acme Concrete' }),
    ];

    const match = matchVendor(vendorCommand(), vendors);

    expect(match.kind).toBe('conflict');
    expect(match).toMatchObject({ reason: expect.stringContaining('9 "Acme Concrete" (origin_id SAGE-123)') });
    expect(match).toMatchObject({ reason: expect.stringContaining('owned by another integration') });
  });

  it('never matches by an empty normalised name', () => {
    const command = vendorCommand({ name: '🏗️', taxId: undefined });

    expect(matchVendor(command, [vendor({ id: 1, name: '!!!' })])).toEqual({ kind: 'create' });
  });
});

function commitmentOf(result: MapResult): CommitmentCommand {
  const [command] = result.outcome === 'mapped' ? result.commands : [];
  if (command?.resource !== 'commitment') throw new Error('expected a commitment');
  return command;
}

describe('matchCommitment()', () => {
  const command = commitmentOf(mapPurchaseOrder(buildPurchaseOrder(), buildConfig()));

  it('owns the commitment carrying our origin id', () => {
    expect(matchCommitment(command, [{ id: 1, number: 'PO-1042', origin_id: command.originId }])).toEqual({
      kind: 'owned',
      commitmentId: 1,
    });
  });

  it('links a commitment without origin id that has the PO number', () => {
    expect(
      matchCommitment(command, [
        { id: 2, number: 'PO-1041' },
        { id: 3, number: 'PO-1042', origin_id: null },
      ]),
    ).toEqual({
      kind: 'link',
      commitmentId: 3,
      by: 'number',
    });
  });

  it('creates when no commitment has the number', () => {
    expect(matchCommitment(command, [{ id: 2, number: 'PO-1041' }])).toEqual({ kind: 'create' });
  });

  it('reports a conflict for a same-number commitment owned elsewhere', () => {
    expect(matchCommitment(command, [{ id: 5, number: 'PO-1042', origin_id: 'OTHER' }])).toMatchObject({
      kind: 'conflict',
      reason: expect.stringContaining('5 (origin_id OTHER)'),
    });
  });

  it('reports a conflict for two same-number candidates', () => {
    expect(
      matchCommitment(command, [
        { id: 5, number: 'PO-1042' },
        { id: 6, number: 'PO-1042' },
      ]),
    ).toMatchObject({
      kind: 'conflict',
      reason: expect.stringContaining('(5, 6)'),
    });
  });

  it('refuses to link a same-number commitment of another vendor when the vendor is known', () => {
    const commitments = [{ id: 5, number: 'PO-1042', vendor_id: 77 }];

    expect(matchCommitment(command, commitments, 88).kind).toBe('conflict');
    expect(matchCommitment(command, commitments, 77)).toEqual({ kind: 'link', commitmentId: 5, by: 'number' });
  });
});
