/** ISO 3166-1 alpha-2 country codes and, for the countries Procore customers use most, ISO 3166-2 subdivision codes. */

const COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
    'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE ' +
    'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO ' +
    'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW ' +
    'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM ' +
    'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

const SUBDIVISIONS: Record<string, ReadonlySet<string>> = {
  US: new Set(
    (
      'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK ' +
      'OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR UM VI'
    ).split(' '),
  ),
  CA: new Set('AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' ')),
  AU: new Set('ACT NSW NT QLD SA TAS VIC WA'.split(' ')),
};

/** True for an ISO 3166-1 alpha-2 country code (upper case, as Procore stores it). */
export function isCountryCode(code: string): boolean {
  return COUNTRIES.has(code);
}

/**
 * True for the subdivision part of an ISO 3166-2 code ("CA" for US-CA). Countries without a list here accept any
 * 1–3 upper-case letters or digits, the shape every ISO 3166-2 suffix has.
 */
export function isStateCode(code: string, country: string | null): boolean {
  const known = country === null ? undefined : SUBDIVISIONS[country];
  if (known) return known.has(code);
  return /^[A-Z0-9]{1,3}$/.test(code);
}
