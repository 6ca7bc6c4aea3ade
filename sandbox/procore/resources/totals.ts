import { add, subtract, sum, toAmount } from '../../../lambdas/shared/money';
import type { ChangeOrder, Commitment, ProcoreState, Requisition, RequisitionItem } from '../state';

/** Money a commitment reports, all decimal strings with at least two places. */
export interface CommitmentTotals {
  grand_total: string;
  approved_change_orders: string;
  pending_change_orders: string;
  draft_change_orders_amount: string;
  revised_contract: string;
  pending_revised_contract: string;
  total_requisitions_amount: string;
}

/** A change order's amount: the sum of its lines. */
export function changeOrderAmount(state: ProcoreState, co: ChangeOrder): string {
  return sum(state.changeOrderLineItems(co.id).map((l) => l.amount));
}

/** `grand_total` is the schedule of values; approved change orders move `revised_contract`. */
export function commitmentTotals(state: ProcoreState, c: Commitment): CommitmentTotals {
  const grand = sum(state.commitmentLineItems(c.id).map((l) => l.amount));
  const byStatus = (status: string) =>
    sum(
      state
        .changeOrders(c.project_id)
        .filter((co) => co.contract_id === c.id && co.status === status)
        .map((co) => changeOrderAmount(state, co)),
    );
  const approved = byStatus('approved');
  const pending = byStatus('pending');
  const revised = add(grand, approved);
  const claimed = sum(
    state
      .requisitions(c.project_id)
      .filter((r) => r.commitment_id === c.id)
      .map((r) => requisitionClaimed(state, r)),
  );
  return {
    grand_total: toAmount(grand),
    approved_change_orders: toAmount(approved),
    pending_change_orders: toAmount(pending),
    draft_change_orders_amount: toAmount(byStatus('draft')),
    revised_contract: toAmount(revised),
    pending_revised_contract: toAmount(add(revised, pending)),
    total_requisitions_amount: toAmount(claimed),
  };
}

/** What one item claims this period: work completed plus materials stored. */
export function itemClaimed(item: RequisitionItem): string {
  return add(item.work_completed_this_period, item.materials_presently_stored);
}

/** `total_claimed_amount` of a requisition (an inferred formula: this period's work plus stored materials). */
export function requisitionClaimed(state: ProcoreState, r: Requisition): string {
  return sum(state.requisitionItems(r.id).map(itemClaimed));
}

/** Requisitions of the same commitment numbered before `r`. */
export function previousRequisitions(state: ProcoreState, r: Requisition): Requisition[] {
  return state
    .requisitions(r.project_id)
    .filter((o) => o.commitment_id === r.commitment_id && o.number < r.number)
    .sort((a, b) => a.number - b.number);
}

/** Retainage held by one item this period net of releases. */
export function itemRetainage(item: RequisitionItem): string {
  return subtract(
    add(item.work_completed_retainage_retained_this_period, item.materials_stored_retainage_currently_retained),
    item.work_completed_retainage_released_this_period,
  );
}
