import { describe, expect, it } from 'vitest';
import { parsePurchaseOrdersPage } from '../../../lambdas/workday/parse';
import { goodsLineXml, purchaseOrderXml, ref, responsePage, wid, worktagXml } from './workday-xml';

const parse = (lines: string[]) =>
  parsePurchaseOrdersPage(responsePage('Get_Purchase_Orders', [purchaseOrderXml({ lines })]));

const deliverable =
  '<wd:Deliverables_Line_Data>' +
  '<wd:Deliverables_Order_Line_ID>DOL-7</wd:Deliverables_Order_Line_ID><wd:Line_Number>2</wd:Line_Number>' +
  ref('Project_Reference', { WID: wid(0x70), Project_ID: 'PRJ-7' }, 'Harbor View Tower') +
  '<wd:Memo>Milestone 1: foundations</wd:Memo>' +
  ref('Resource_Category_Reference', { Spend_Category_ID: 'SC_SUBCONTRACT' }) +
  '<wd:Extended_Amount>20000.00</wd:Extended_Amount>' +
  worktagXml('Worktags_Reference', 'Custom_Worktag_1_ID', '03-3000') +
  '</wd:Deliverables_Line_Data>';

const contingent = (lineNumber = '<wd:Line_Number>3</wd:Line_Number>') =>
  '<wd:Contingent_Worker_Line_Data>' +
  lineNumber +
  ref('Contingent_Worker_Reference', { WID: wid(0x71), Contingent_Worker_ID: 'CW-1' }, 'Dana Reyes') +
  '<wd:Scheduled_Hours>160</wd:Scheduled_Hours><wd:Contract_Pay_Rate>40.00</wd:Contract_Pay_Rate>' +
  '<wd:Extended_Amount>6400.00</wd:Extended_Amount>' +
  worktagXml('Worktags_Reference', 'Project_ID', 'PRJ-7') +
  '</wd:Contingent_Worker_Line_Data>';

describe('PO lines of every type', () => {
  it('reads deliverables and contingent-worker lines onto the PO, in Line_Number order with the goods line', () => {
    const { records, rejected } = parse([goodsLineXml(), deliverable, contingent()]);

    expect(rejected).toEqual([]);
    expect(records[0]?.lines.map((l) => [l.type, l.lineId, l.lineNumber, l.extendedAmount])).toEqual([
      ['goods', 'POL-1', 1, '100.00'],
      ['deliverable', 'DOL-7', 2, '20000.00'],
      ['contingentWorker', 'line-3', 3, '6400.00'],
    ]);
  });

  it('takes a deliverable line’s project as its Project_ID worktag, and its Memo as description', () => {
    const line = parse([deliverable]).records[0]?.lines[0];

    expect(line).toMatchObject({
      description: 'Milestone 1: foundations',
      spendCategory: 'SC_SUBCONTRACT',
      worktags: [
        { type: 'Custom_Worktag_1_ID', id: '03-3000' },
        { type: 'Project_ID', id: 'PRJ-7', descriptor: 'Harbor View Tower' },
      ],
    });
  });

  it('describes a contingent-worker line by its worker', () => {
    const line = parse([contingent()]).records[0]?.lines[0];

    expect(line?.description).toBe('Contingent worker Dana Reyes');
    expect(line?.worktags).toEqual([{ type: 'Project_ID', id: 'PRJ-7', descriptor: 'PRJ-7 descriptor' }]);
  });

  it('refuses a contingent-worker line without Line_Number, naming it, rather than leaving it out', () => {
    const { records, rejected } = parse([goodsLineXml(), contingent('')]);

    expect(records).toEqual([]);
    expect(rejected[0]?.error.message).toContain('Contingent_Worker_Line_Data[0].Line_Number');
  });

  it('refuses a PO with a kind of line it does not know, rather than a commitment short of it', () => {
    const unknown =
      '<wd:Subscription_Line_Data><wd:Extended_Amount>10.00</wd:Extended_Amount></wd:Subscription_Line_Data>';
    const { records, rejected } = parse([goodsLineXml(), unknown]);

    expect(records).toEqual([]);
    expect(rejected[0]?.error.message).toContain('Subscription_Line_Data');
    expect(rejected[0]?.error.message).toContain('does not read');
  });

  it('adds the worktags of Purchase_Order_Line_Worktags_Data to the line’s own, each once', () => {
    const extra =
      '<wd:Purchase_Order_Line_Worktags_Data>' +
      worktagXml('Worktag_Reference', 'Project_ID', 'PRJ-1') +
      worktagXml('Worktag_Reference', 'Custom_Worktag_1_ID', '03-3000') +
      '</wd:Purchase_Order_Line_Worktags_Data>';
    const line = parse([goodsLineXml({ tail: worktagXml('Worktags_Reference', 'Project_ID', 'PRJ-1') + extra })])
      .records[0]?.lines[0];

    expect(line?.worktags.map((w) => `${w.type}=${w.id}`)).toEqual(['Project_ID=PRJ-1', 'Custom_Worktag_1_ID=03-3000']);
  });
});
