/** Behaviours public material leaves inferred or unknown; each is a switch with the documented default. */
export interface WorkdaySwitches {
  /** true: Updated_From/To_Date both inclusive; false: half-open [from, to). */
  dateBoundsInclusive: boolean;
  /** true: Updated_To_Date after the current moment is a validation fault. */
  rejectFutureToDate: boolean;
  /** true: criteria (and request) elements the schema lacks, e.g. Updated_From_Date on invoices, are faults. */
  rejectUnknownCriteria: boolean;
  /** true: an invoice line's Purchase_Order_Line_ID is the PO line's own ID; false: `<Document_Number>-<Line_Number>`. */
  poLineIdMatchesInvoiceReference: boolean;
  /** true: booleans in data as 1/0; false: true/false. */
  booleansAsDigits: boolean;
  /** true: wd:Descriptor even when Include_Reference_Descriptors_In_Response is not true. */
  descriptorsWhenNotRequested: boolean;
  /** true: an `ID` with an unqualified `type` attribute is a validation fault. */
  requireQualifiedTypeAttribute: boolean;
  /** HTTP answer to an expired bearer token: 401 with an empty body, or 500 with the SOAP auth fault. */
  expiredBearerStatus: 500 | 401;
  /** true: Updated_* matches a record when any visible version was entered in the window; false: its latest one. */
  updatedWindowMatchesAnyEntry: boolean;
  /** true: xsd:date values carry the tenant offset (`2024-01-15-08:00`), as Workday writes them. */
  datesWithZoneOffset: boolean;
  /** IANA zone of the tenant: offsets written, and the zone of date-times sent without one. */
  tenantTimeZone: string;
  /**
   * true (v45.1, as Tax_ID_Widget_DataType has it; v40.2 clients read it too): Tax_ID_Data and Settlement_Account_Data
   * inside *_Widget_Data wrappers; false: bare, as in the v28–30 types.
   */
  supplierWidgetWrappers: boolean;
  /**
   * true (v45.1 Phone_Information_DataType): Area_Code and the formatted phones (International_, E164_) are attributes
   * and Phone_Number is the whole number; false: an Area_Code element, the local Phone_Number and `Formatted_Phone`.
   */
  phoneFormatAttributes: boolean;
  /**
   * true (v45.1): organisation worktags (cost center, region, company, custom organisation) carry
   * Organization_Reference_ID beside their specific ID and the WID, in an order that varies by worktag.
   */
  organizationWorktagsWithGenericId: boolean;
  /** true: a Document_Status_ID in the invoice and credit-memo status criteria matches in any case (`Approved` = `APPROVED`). */
  statusCriteriaIgnoreCase: boolean;
  /**
   * true (v45.1): about a third of invoice lines (chosen by the PO line's WID) name their PO line by `Line_Number`
   * with `parent_id` = the PO's Document_Number instead of Purchase_Order_Line_ID; false: all by Purchase_Order_Line_ID.
   */
  poLineReferencesByLineNumber: boolean;
  /**
   * true (v44.1 client, [I]): a PO line's `lineWorktagsData` in Purchase_Order_Line_Worktags_Data; false: with its
   * other worktags in Worktags_Reference, as the v28–30 types have them.
   */
  poLineWorktagsData: boolean;
}

/** Switch defaults: the behaviour the reference documents or infers. */
export const DEFAULT_SWITCHES: WorkdaySwitches = {
  dateBoundsInclusive: true,
  rejectFutureToDate: true,
  rejectUnknownCriteria: true,
  poLineIdMatchesInvoiceReference: true,
  booleansAsDigits: true,
  descriptorsWhenNotRequested: false,
  requireQualifiedTypeAttribute: false,
  expiredBearerStatus: 401,
  updatedWindowMatchesAnyEntry: false,
  datesWithZoneOffset: true,
  tenantTimeZone: 'America/Los_Angeles',
  supplierWidgetWrappers: true,
  phoneFormatAttributes: true,
  organizationWorktagsWithGenericId: true,
  statusCriteriaIgnoreCase: true,
  poLineReferencesByLineNumber: true,
  poLineWorktagsData: true,
};

/** The shapes of responses before v45 (one ID per worktag…): every switch that has an older shape, set to it. */
export const OLDER_SHAPES: Partial<WorkdaySwitches> = {
  supplierWidgetWrappers: false,
  phoneFormatAttributes: false,
  organizationWorktagsWithGenericId: false,
  poLineReferencesByLineNumber: false,
  poLineWorktagsData: false,
};
