import { describe, expect, it } from 'vitest';
import { parsePurchaseOrdersPage } from '../../../lambdas/workday/parse';
import { worktagId } from '../../../lambdas/workday/records';
import { goodsLineXml, purchaseOrderXml, ref, responsePage, wid } from './workday-xml';

function worktagsOf(tail: string) {
  const { records, rejected } = parsePurchaseOrdersPage(
    responsePage('Get_Purchase_Orders', [purchaseOrderXml({ lines: [goodsLineXml({ tail })] })]),
  );
  expect(rejected).toEqual([]);
  return records[0]?.lines[0]?.worktags ?? [];
}

describe('worktags with several typed IDs (v45.1 organisation worktags)', () => {
  it.each([
    ['generic ID first', { Organization_Reference_ID: 'CC-200', WID: wid(7), Cost_Center_Reference_ID: 'CC-200' }],
    ['specific ID first', { Cost_Center_Reference_ID: 'CC-200', Organization_Reference_ID: 'CC-200', WID: wid(7) }],
    ['WID last', { Organization_Reference_ID: 'CC-200', Cost_Center_Reference_ID: 'CC-200', WID: wid(7) }],
  ])('keeps the specific type as the worktag type, whatever the order (%s)', (_, ids) => {
    const [tag] = worktagsOf(ref('Worktags_Reference', ids, 'Field Operations'));

    expect(tag).toEqual({
      type: 'Cost_Center_Reference_ID',
      id: 'CC-200',
      otherIds: { Organization_Reference_ID: 'CC-200' },
      descriptor: 'Field Operations',
    });
  });

  it('answers to any of its IDs', () => {
    const [tag] = worktagsOf(
      ref('Worktags_Reference', {
        WID: wid(8),
        Organization_Reference_ID: 'LOB-1',
        Custom_Organization_Reference_ID: 'LOB-1',
      }),
    );
    if (tag === undefined) throw new Error('no worktag');

    expect(tag.type).toBe('Custom_Organization_Reference_ID');
    expect(worktagId(tag, 'Organization_Reference_ID')).toBe('LOB-1');
    expect(worktagId(tag, 'Custom_Organization_Reference_ID')).toBe('LOB-1');
    expect(worktagId(tag, 'Cost_Center_Reference_ID')).toBeUndefined();
  });

  it('keeps a worktag that has only the generic ID under that type', () => {
    const [tag] = worktagsOf(ref('Worktags_Reference', { WID: wid(9), Organization_Reference_ID: 'ORG-1' }));

    expect(tag).toEqual({ type: 'Organization_Reference_ID', id: 'ORG-1' });
  });
});
