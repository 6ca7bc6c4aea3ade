/** How big the generated firm is. */
export type Scale = 'small' | 'firm' | 'enterprise';

/** Counts per scale; special cases are placed first, so every scale holds at least one of each. */
export interface ScaleSpec {
  /** USD job sites (the CAD project comes on top). */
  projects: number;
  /** Of those, how many the config maps by Cost_Center_Reference_ID instead of Project_ID. */
  costCenterProjects: number;
  suppliers: number;
  purchaseOrders: number;
  invoices: number;
  adjustments: number;
  /** Lines per purchase order (goods and service together). */
  linesPerPo: readonly [min: number, max: number];
  /** Hand-typed Procore vendors matching a supplier by EIN, and by a variant of its name. */
  einMatches: number;
  nameMatches: number;
  /** Hand-typed Procore commitments with a PO's number in its project. */
  handTypedCommitments: number;
  /** Share of regular suppliers that are INACTIVE. */
  inactiveRate: number;
  /** Whether records are generated on demand (a lazy Workday store) rather than held in memory. */
  lazy: boolean;
}

/** The three sizes: `small` for tests, `firm` for the demo, `enterprise` for load. */
export const SCALES: Record<Scale, ScaleSpec> = {
  small: {
    projects: 3,
    costCenterProjects: 1,
    suppliers: 24,
    purchaseOrders: 30,
    invoices: 80,
    adjustments: 4,
    linesPerPo: [1, 4],
    einMatches: 2,
    nameMatches: 2,
    handTypedCommitments: 1,
    inactiveRate: 0.05,
    lazy: false,
  },
  firm: {
    projects: 15,
    costCenterProjects: 3,
    suppliers: 320,
    purchaseOrders: 450,
    invoices: 2100,
    adjustments: 60,
    linesPerPo: [1, 6],
    einMatches: 11,
    nameMatches: 11,
    handTypedCommitments: 4,
    inactiveRate: 0.04,
    lazy: false,
  },
  enterprise: {
    projects: 120,
    costCenterProjects: 20,
    suppliers: 50_000,
    purchaseOrders: 20_000,
    invoices: 200_000,
    adjustments: 5_000,
    linesPerPo: [3, 9],
    einMatches: 60,
    nameMatches: 60,
    handTypedCommitments: 20,
    inactiveRate: 0.04,
    lazy: true,
  },
};
