import * as z from 'zod';

/**
 * Every worktag type Workday accepts (WID aside): v45.1 Cash_Management.wsdl, Accounting_WorktagReferenceEnumeration
 * (the type shared by every Financials service, Resource_Management included). Note the zero-padded
 * Custom_Worktag_06_ID … _09_ID beside unpadded Custom_Worktag_1_ID … _5_ID.
 */
export const WORKTAG_TYPES: ReadonlySet<string> = new Set([
  'Academic_Level_ID',
  'Academic_Period_ID',
  'Academic_Person_ID',
  'Academic_Unit_ID',
  'Ad_hoc_Payee_ID',
  'Allocation_Pool_ID',
  'Alternate_Supplier_Contract_ID',
  'Applicant_ID',
  'Application_Grouping_ID',
  'Appropriation_ID',
  'Asset_Adjustment_Reason_Reference_ID',
  'Asset_Adjustment_Type_Reference_ID',
  'Asset_Impairment_Reason_ID',
  'AUS_STP_Income_Stream_Code_Reference_ID',
  'Bank_Account_ID',
  'Business_Asset_Cost_Adjustment_Reason_ID',
  'Business_Unit_ID',
  'Calculation_Compensation_Basis_ID',
  'Candidate_ID',
  'Cash_Activity_Category_ID',
  'Catalog_Item_ID',
  'Company_Reference_ID',
  'Compensation_Basis_ID',
  'Compensation_Grade_ID',
  'Contingent_Worker_ID',
  'Contingent_Worker_Type_ID',
  'Corporate_Credit_Card_Account_ID',
  'Cost_Center_Reference_ID',
  'Custom_Organization_Reference_ID',
  'Custom_Worktag_06_ID',
  'Custom_Worktag_07_ID',
  'Custom_Worktag_08_ID',
  'Custom_Worktag_09_ID',
  'Custom_Worktag_1_ID',
  'Custom_Worktag_10_ID',
  'Custom_Worktag_11_ID',
  'Custom_Worktag_12_ID',
  'Custom_Worktag_13_ID',
  'Custom_Worktag_14_ID',
  'Custom_Worktag_15_ID',
  'Custom_Worktag_2_ID',
  'Custom_Worktag_3_ID',
  'Custom_Worktag_4_ID',
  'Custom_Worktag_5_ID',
  'Customer_Category_ID',
  'Customer_Contract_Alternate_Reference_ID',
  'Customer_Contract_Reference_ID',
  'Customer_ID',
  'Customer_Reference_ID',
  'Deduction_Code',
  'Deduction_Recipient_ID',
  'Donor_ID',
  'Earning_Code',
  'Employee_ID',
  'Employee_Type_ID',
  'Ethnicity_ID',
  'Exemption_Code',
  'Expense_Item_ID',
  'External_Committee_Member_ID',
  'External_Sourceable_ID',
  'Financial_Aid_Award_Year_ID',
  'Financial_Institution_ID',
  'Financial_Institution_Reference_ID',
  'Fringe_Basis_ID',
  'Fund_ID',
  'Funding_Source_Name',
  'Gender_Code',
  'Gift_Reference_ID',
  'Grant_ID',
  'Internal_Service_Provider_ID',
  'Internal_Service_Provider_Reference_ID',
  'Investment_Pool_ID',
  'Investment_Profile_ID',
  'Investor_ID',
  'Is_Manager_ID',
  'Is_People_Manager',
  'ISO_3166-1_Alpha-2_Code',
  'ISO_3166-1_Alpha-3_Code',
  'ISO_3166-1_Numeric-3_Code',
  'Job_Category_ID',
  'Job_Level_ID',
  'Job_Profile_ID',
  'Job_Requisition_ID',
  'Lease_Expense_Recognition_ID',
  'Loan_ID',
  'Location_ID',
  'Management_Level_ID',
  'Miscellaneous_Payee_ID',
  'NI_Category_Letter',
  'Object_Class_ID',
  'OPM_Country_Code',
  'Opportunity_Reference_ID',
  'Organization_Reference_ID',
  'Pay_Rate_Type_ID',
  'Payroll_Contribution_Group_Key_ID',
  'Payroll_Federal_Authority_Tax_Code',
  'Payroll_Flat_Rate_Tax_ID',
  'Payroll_Income_Code',
  'Payroll_Local_City_Authority_Tax_Code',
  'Payroll_Local_County_Authority_Tax_Code',
  'Payroll_Local_Other_Authority_Tax_Code',
  'Payroll_Local_School_District_Authority_Tax_Code',
  'Payroll_Public_Health_Insurance_Company_ID',
  'Payroll_Religious_Denomination_ID',
  'Payroll_State_Authority_Tax_Code',
  'Petty_Cash_Account_ID',
  'Position_ID',
  'Position_Time_Type_ID',
  'Program_ID',
  'Program_of_Study_ID',
  'Project_ID',
  'Project_Plan_ID',
  'Project_Worker_Role_ID',
  'Proposal_Grant_ID',
  'Prospect_ID',
  'Prospect_Reference_ID',
  'PRSI_Class',
  'Purchase_Item_ID',
  'Receivable_Writeoff_Reason_ID',
  'Region_Reference_ID',
  'Revenue_Category_ID',
  'Rubric_Value_ID',
  'Run_Category_ID',
  'Salary_Over_the_Cap_Basis_ID',
  'Salary_Over_The_Cap_Type_ID',
  'Sales_Item_ID',
  'Spend_Category_ID',
  'Sponsor_ID',
  'Sponsor_Reference_ID',
  'Student_Application_Residency_Status_ID',
  'Student_Award_Item_ID',
  'Student_Charge_Item_ID',
  'Student_Course_ID',
  'Student_Course_Section_ID',
  'Student_ID',
  'Student_Recruiting_Campaign_ID',
  'Student_Recruiting_Event_ID',
  'Student_Sponsor_Contract_ID',
  'Student_Waiver_Item_ID',
  'Supplier_Category_ID',
  'Supplier_Contract_ID',
  'Supplier_Contract_ID_External',
  'Supplier_ID',
  'Supplier_Reference_ID',
  'Tax_Applicability_ID',
  'Tax_Authority_ID',
  'Tax_Authority_Reference_ID',
  'Tax_Category_ID',
  'Tax_Code_ID',
  'Tax_Point_Date_Type_ID',
  'Tax_Rate_ID',
  'Tax_Recoverability_Object_ID',
  'Third_Party_ID',
  'Universal_Identifier_ID',
  'Withholding_Order_Case_ID',
  'Withholding_Tax_Code_ID',
  'Withholding_Tax_Rate_ID',
  'Work_Function_ID',
  'Work_Shift_ID',
  'Workday_Deduction_Code',
  'Workday_Earning_Code',
  'Worker_Type_ID',
]);

/** Matching form of a type: case, `_`/`-` and leading zeros of numbers ignored (`Custom_Worktag_6_ID` ≈ `…_06_ID`). */
function loose(type: string): string {
  return type
    .toLowerCase()
    .replace(/[_-]/g, ' ')
    .replace(/\b0+(\d)/g, '$1')
    .replace(/ /g, '');
}

const BY_LOOSE_FORM = new Map([...WORKTAG_TYPES].map((type) => [loose(type), type]));

/** Levenshtein distance, for a spelling suggestion among the enumeration's values. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The enumeration's spelling of a mistyped worktag type, when one is close enough to be meant. */
export function suggestWorktagType(type: string): string | undefined {
  const form = loose(type);
  const same = BY_LOOSE_FORM.get(form);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = 3;
  for (const [candidateForm, candidate] of BY_LOOSE_FORM) {
    if (Math.abs(candidateForm.length - form.length) >= bestDistance) continue;
    const d = distance(form, candidateForm);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** A worktag type in the config: one of the enumeration's values, spelt exactly (Workday's IDs are case-sensitive). */
export const worktagTypeSchema = z
  .string()
  .min(1, 'must be a Workday worktag type such as Project_ID')
  .superRefine((type, ctx) => {
    if (type === '' || WORKTAG_TYPES.has(type)) return;
    const suggestion = suggestWorktagType(type);
    ctx.addIssue({
      code: 'custom',
      message:
        suggestion === undefined
          ? 'is not a worktag type of Workday v45.1 (Accounting_WorktagReferenceEnumeration): use the reference ID type Workday sends, such as Project_ID or Cost_Center_Reference_ID'
          : `is not a worktag type of Workday v45.1 (Accounting_WorktagReferenceEnumeration): did you mean "${suggestion}"?`,
    });
  });
