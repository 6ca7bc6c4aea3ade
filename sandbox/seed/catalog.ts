/** Static reference data of the generated construction firm: job sites, cost codes, spend categories, words. */

/** A CSI MasterFormat cost code as Procore holds it (`division-code`), and the Workday worktag value for it. */
export interface CostCodeEntry {
  division: string;
  divisionName: string;
  code: string;
  name: string;
  /** Custom_Worktag_1_ID value in Workday: a `WD-…` alias the config maps, or the Procore code itself. */
  workdayValue: string;
  goods: readonly (readonly [description: string, unit: string])[];
  services: readonly string[];
}

function entry(
  fullCode: string,
  divisionName: string,
  name: string,
  alias: string | undefined,
  goods: CostCodeEntry['goods'],
  services: readonly string[],
): CostCodeEntry {
  const [division = '', code = ''] = fullCode.split('-');
  return { division, divisionName, code, name, workdayValue: alias ?? fullCode, goods, services };
}

/** Every cost code the firm uses (the first two are the default and the charges code). */
export const COST_CODES: readonly CostCodeEntry[] = [
  entry(
    '01-500',
    'General Requirements',
    'Temporary Facilities',
    undefined,
    [['Temporary fencing panel', 'EA']],
    ['Site supervision'],
  ),
  entry('01-900', 'General Requirements', 'Taxes, Freight and Charges', undefined, [], []),
  entry(
    '03-200',
    'Concrete',
    'Concrete Reinforcing',
    'WD-REBAR',
    [
      ['Rebar #5 Grade 60', 'TNE'],
      ['Welded wire mesh', 'EA'],
    ],
    ['Rebar placement crew'],
  ),
  entry(
    '03-300',
    'Concrete',
    'Cast-in-Place Concrete',
    'WD-CONC',
    [
      ['Ready-mix concrete 4000 PSI', 'MTR'],
      ['Concrete pump rental', 'DAY'],
    ],
    ['Slab on grade placement and finishing', 'Foundation wall pour'],
  ),
  entry('04-200', 'Masonry', 'Unit Masonry', undefined, [['CMU block 8 in.', 'EA']], ['Masonry wall installation']),
  entry(
    '05-120',
    'Metals',
    'Structural Steel Framing',
    'WD-STEEL',
    [
      ['W12x26 wide-flange beam', 'FOT'],
      ['Anchor bolt set', 'EA'],
    ],
    ['Steel erection'],
  ),
  entry(
    '05-500',
    'Metals',
    'Metal Fabrications',
    undefined,
    [['Steel stair stringer', 'EA']],
    ['Handrail fabrication'],
  ),
  entry(
    '06-100',
    'Wood, Plastics, and Composites',
    'Rough Carpentry',
    undefined,
    [['Douglas fir 2x6 stud', 'FOT']],
    ['Framing labor'],
  ),
  entry(
    '07-500',
    'Thermal and Moisture Protection',
    'Membrane Roofing',
    undefined,
    [['TPO roofing membrane', 'MTR']],
    ['Roof membrane installation'],
  ),
  entry('08-800', 'Openings', 'Glazing', undefined, [['Insulated glass unit', 'EA']], ['Curtain wall glazing']),
  entry(
    '09-200',
    'Finishes',
    'Plaster and Gypsum Board',
    undefined,
    [['Gypsum board 5/8 in. type X', 'EA']],
    ['Drywall hanging and taping'],
  ),
  entry(
    '09-900',
    'Finishes',
    'Painting and Coating',
    'WD-PAINT',
    [['Interior latex paint', 'EA']],
    ['Interior painting'],
  ),
  entry(
    '22-100',
    'Plumbing',
    'Plumbing Piping',
    undefined,
    [['Copper pipe type L 1 in.', 'FOT']],
    ['Plumbing rough-in'],
  ),
  entry(
    '23-300',
    'HVAC',
    'HVAC Air Distribution',
    undefined,
    [['Galvanized duct section', 'FOT']],
    ['Ductwork installation'],
  ),
  entry(
    '26-050',
    'Electrical',
    'Common Work Results for Electrical',
    'WD-ELEC',
    [
      ['THHN copper wire 12 AWG', 'MTR'],
      ['Conduit EMT 3/4 in.', 'FOT'],
    ],
    ['Electrical rough-in'],
  ),
  entry(
    '26-200',
    'Electrical',
    'Electrical Distribution',
    undefined,
    [['Panelboard 225A', 'EA']],
    ['Switchgear installation'],
  ),
  entry('31-200', 'Earthwork', 'Earth Moving', 'WD-EARTH', [['Structural fill', 'TNE']], ['Excavation and grading']),
  entry('32-100', 'Exterior Improvements', 'Paving', undefined, [['Asphalt hot mix', 'TNE']], ['Parking lot paving']),
];

/** The cost code lines without a cost code worktag fall back to (`mapping.costCodes.default`). */
export const DEFAULT_COST_CODE = '01-500';
/** Where header tax, freight and other charges go (`mapping.charges.costCode`). */
export const CHARGES_COST_CODE = '01-900';
/** Cost code entries lines may use (the charges code is reserved for charges). */
export const LINE_COST_CODES = COST_CODES.filter((c) => `${c.division}-${c.code}` !== CHARGES_COST_CODE);

/** A Workday spend category and the Procore cost type it maps to (undefined: left to the default). */
export interface SpendCategoryEntry {
  id: string;
  descriptor: string;
  costType: string | undefined;
  goods: boolean;
}

/** Spend categories; two are deliberately unmapped so the default cost type is exercised. */
export const SPEND_CATEGORIES: readonly SpendCategoryEntry[] = [
  { id: 'SC-MATERIALS', descriptor: 'Construction Materials', costType: 'M', goods: true },
  { id: 'SC-EQUIP-RENTAL', descriptor: 'Equipment Rental', costType: 'E', goods: true },
  { id: 'SC-SMALL-TOOLS', descriptor: 'Small Tools and Consumables', costType: undefined, goods: true },
  { id: 'SC-LABOR', descriptor: 'Field Labor', costType: 'L', goods: false },
  { id: 'SC-SUBCONTRACT', descriptor: 'Subcontracted Services', costType: 'S', goods: false },
  { id: 'SC-PERMITS', descriptor: 'Permits and Fees', costType: 'O', goods: false },
  { id: 'SC-CONSULTING', descriptor: 'Consulting Services', costType: undefined, goods: false },
];

/** The cost type of spend categories the config does not map. */
export const DEFAULT_COST_TYPE = 'O';

/** Procore's five standard cost types. */
export const COST_TYPES: readonly { code: string; name: string; baseType: string }[] = [
  { code: 'L', name: 'Labor', baseType: 'labor' },
  { code: 'M', name: 'Materials', baseType: 'materials' },
  { code: 'S', name: 'Subcontract', baseType: 'commitment' },
  { code: 'E', name: 'Equipment', baseType: 'equipment' },
  { code: 'O', name: 'Other', baseType: 'other' },
];

/** Job sites of the `firm` scale (larger scales add numbered ones). */
export const JOB_SITES: readonly { name: string; city: string; state: string }[] = [
  { name: 'Harbor View Tower', city: 'San Diego', state: 'CA' },
  { name: 'Riverside Medical Pavilion', city: 'Sacramento', state: 'CA' },
  { name: 'Cedar Ridge Elementary School', city: 'Boise', state: 'ID' },
  { name: 'Northgate Transit Center', city: 'Seattle', state: 'WA' },
  { name: 'Mesa Verde Apartments', city: 'Phoenix', state: 'AZ' },
  { name: 'Lakeshore Distribution Warehouse', city: 'Reno', state: 'NV' },
  { name: 'Summit County Courthouse Renovation', city: 'Park City', state: 'UT' },
  { name: 'Pioneer Square Hotel', city: 'Portland', state: 'OR' },
  { name: 'Canyon Creek Water Treatment Plant', city: 'Tucson', state: 'AZ' },
  { name: 'Bayfront Parking Structure', city: 'Oakland', state: 'CA' },
  { name: 'Aspen Grove Senior Living', city: 'Denver', state: 'CO' },
  { name: 'Granite Falls Data Center', city: 'Salt Lake City', state: 'UT' },
  { name: 'Willow Bend Retail Plaza', city: 'Fresno', state: 'CA' },
  { name: 'Old Mill Library Expansion', city: 'Spokane', state: 'WA' },
  { name: 'Desert Sun Solar Farm', city: 'Las Vegas', state: 'NV' },
];

/** Words regular supplier names are built from: 40 × 36 × 40 combinations, all distinct after normalising. */
export const NAME_FIRST = [
  'Acme',
  'Apex',
  'Atlas',
  'Beacon',
  'Bluewater',
  'Boulder',
  'Cascade',
  'Centennial',
  'Coastal',
  'Copperline',
  'Crestview',
  'Diamond',
  'Eagle',
  'Evergreen',
  'Frontier',
  'Golden',
  'Greystone',
  'Heartland',
  'Highland',
  'Ironwood',
  'Keystone',
  'Liberty',
  'Lone Pine',
  'Meridian',
  'Midway',
  'Northstar',
  'Oakridge',
  'Pacific',
  'Pinnacle',
  'Prairie',
  'Redrock',
  'Sierra',
  'Silverline',
  'Southwind',
  'Sterling',
  'Stonegate',
  'Timberline',
  'Trailhead',
  'Valley',
  'Westfield',
] as const;

/** The trade word of regular supplier names. */
export const NAME_TRADE = [
  'Concrete',
  'Steel',
  'Electric',
  'Plumbing',
  'Mechanical',
  'Roofing',
  'Glass',
  'Drywall',
  'Painting',
  'Paving',
  'Excavation',
  'Masonry',
  'Framing',
  'Insulation',
  'Fire Protection',
  'Landscaping',
  'Surveying',
  'Equipment Rental',
  'Supply',
  'Lumber',
  'Crane Service',
  'Scaffolding',
  'Demolition',
  'Flooring',
  'Millwork',
  'Elevator',
  'Waterproofing',
  'Fencing',
  'Signage',
  'Traffic Control',
  'Hauling',
  'Testing Labs',
  'Door and Hardware',
  'Tile',
  'Earthworks',
  'Rebar',
] as const;

/** The third word of regular supplier names. */
export const NAME_KIND = [
  'Contractors',
  'Partners',
  'Group',
  'Services',
  'Works',
  'Constructors',
  'Associates',
  'Builders',
  'Solutions',
  'Industries',
  'Specialists',
  'Systems',
  'Enterprises',
  'Brothers',
  'Trades',
  'Resources',
  'Crafts',
  'Installers',
  'Fabricators',
  'Suppliers',
  'Distributors',
  'Outfitters',
  'Pros',
  'Experts',
  'Alliance',
  'Collective',
  'Network',
  'Union',
  'Guild',
  'Depot',
  'Craftsmen',
  'Ventures',
  'Crew',
  'Yards',
  'Labor Co-op',
  'Field Services',
  'Site Services',
  'Contracting',
  'Worx',
  'Team',
] as const;
