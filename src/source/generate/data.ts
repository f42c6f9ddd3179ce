/**
 * The built-in word lists the tenant generator draws from. Small on purpose: realism comes from the mix
 * (diacritics, apostrophes, non-Latin-1 letters, guests, several countries), not from volume. Changing a list
 * changes every generated tenant, so existing seeds stop reproducing earlier files; append with that in mind.
 */

export const FIRST_NAMES: readonly string[] = [
  'José',
  'Łukasz',
  'Zoë',
  'Renée',
  'Björn',
  'Søren',
  'Chloé',
  'Jürgen',
  'François',
  'Inês',
  'Małgorzata',
  'Siobhán',
  'Åsa',
  'Çağla',
  'Ana',
  'Mia',
  'Priya',
  'Kenji',
  'Aisha',
  'Ahmed',
  'Laura',
  'Marcus',
  'Daniel',
  'Sofia',
  'Emily',
  'Hannah',
  'Ravi',
  'Olivia',
  'Noah',
  'Grace',
  'Tom',
  'Peter',
  'Samuel',
  'Mei',
  'Ngozi',
  'Mateo',
  'Elif',
  'Dmitri',
  'Anne-Marie',
  'Jean-Luc',
];

export const LAST_NAMES: readonly string[] = [
  'Müller',
  'Søndergaard',
  'Gonçalves',
  'Nowak',
  'Dubois',
  'Rossi',
  'Kim',
  'Chen',
  'Okafor',
  'Patel',
  'Johansson',
  'Fischer',
  "O'Connor",
  'Núñez',
  'Kowalski',
  'Łęcka',
  'Hernández',
  'Schröder',
  'Åberg',
  'Yılmaz',
  'Webb',
  'Raman',
  'Carter',
  'Schmidt',
  'Brown',
  'Martin',
  'Williams',
  'Lee',
  'Watanabe',
  'Bello',
  'Novak',
  'Nguyen',
  'García',
  'Ødegård',
  'Lefèvre',
  'Dvořák',
  'Sánchez',
  'Kovačić',
  'Weiß',
  'Nakamura',
];

export interface Department {
  name: string;
  /** Titles of people in the department; Engineering's end in "Engineer" so regex scoping has something to find. */
  titles: readonly string[];
  costCenter: string;
}

export const DEPARTMENTS: readonly Department[] = [
  {
    name: 'Engineering',
    titles: ['Software Engineer', 'Senior Software Engineer', 'Site Reliability Engineer', 'Engineering Manager', 'Principal Engineer'],
    costCenter: 'CC-300',
  },
  {
    name: 'Sales',
    titles: ['Account Executive', 'Sales Development Representative', 'Regional Sales Manager', 'Sales Engineer'],
    costCenter: 'CC-200',
  },
  { name: 'Marketing', titles: ['Marketing Specialist', 'Content Strategist', 'Product Marketing Manager'], costCenter: 'CC-210' },
  { name: 'Finance', titles: ['Financial Analyst', 'Accountant', 'Controller'], costCenter: 'CC-400' },
  { name: 'Human Resources', titles: ['HR Business Partner', 'Recruiter', 'People Operations Manager'], costCenter: 'CC-410' },
  { name: 'IT', titles: ['IT Administrator', 'Systems Engineer', 'Service Desk Analyst', 'Security Engineer'], costCenter: 'CC-500' },
  { name: 'Legal', titles: ['Legal Counsel', 'Paralegal', 'Compliance Officer'], costCenter: 'CC-420' },
  { name: 'Operations', titles: ['Operations Analyst', 'Facilities Coordinator', 'Supply Chain Manager'], costCenter: 'CC-600' },
  { name: 'Customer Success', titles: ['Customer Success Manager', 'Support Engineer', 'Technical Account Manager'], costCenter: 'CC-220' },
  { name: 'Product', titles: ['Product Manager', 'UX Designer', 'Product Owner'], costCenter: 'CC-310' },
];

/** An office: every field is what a user working there gets. `state` is null where addresses have none. */
export interface Office {
  name: string;
  streetAddress: string;
  city: string;
  state: string | null;
  postalCode: string;
  country: string;
  /** Country calling code and area, e.g. "+49 89"; the generator appends the local number. */
  phonePrefix: string;
  preferredLanguage: string;
}

export const OFFICES: readonly Office[] = [
  {
    name: 'Redmond HQ',
    streetAddress: 'One Contoso Way',
    city: 'Redmond',
    state: 'WA',
    postalCode: '98052',
    country: 'United States',
    phonePrefix: '+1 425',
    preferredLanguage: 'en-US',
  },
  {
    name: 'Boston Office',
    streetAddress: '100 Summer Street',
    city: 'Boston',
    state: 'MA',
    postalCode: '02110',
    country: 'United States',
    phonePrefix: '+1 617',
    preferredLanguage: 'en-US',
  },
  {
    name: 'München Office',
    streetAddress: 'Leopoldstraße 42',
    city: 'München',
    state: 'Bayern',
    postalCode: '80802',
    country: 'Germany',
    phonePrefix: '+49 89',
    preferredLanguage: 'de-DE',
  },
  {
    name: 'Berlin Office',
    streetAddress: 'Friedrichstraße 68',
    city: 'Berlin',
    state: null,
    postalCode: '10117',
    country: 'Germany',
    phonePrefix: '+49 30',
    preferredLanguage: 'de-DE',
  },
  {
    name: 'Kraków Office',
    streetAddress: 'ul. Zabłocie 23',
    city: 'Kraków',
    state: 'Małopolskie',
    postalCode: '30-701',
    country: 'Poland',
    phonePrefix: '+48 12',
    preferredLanguage: 'pl-PL',
  },
  {
    name: 'København Office',
    streetAddress: 'Søndre Fasanvej 9',
    city: 'København',
    state: null,
    postalCode: '2000',
    country: 'Denmark',
    phonePrefix: '+45 33',
    preferredLanguage: 'da-DK',
  },
  {
    name: 'Lisboa Office',
    streetAddress: 'Avenida da Liberdade 110',
    city: 'Lisboa',
    state: null,
    postalCode: '1269-046',
    country: 'Portugal',
    phonePrefix: '+351 21',
    preferredLanguage: 'pt-PT',
  },
  {
    name: 'São Paulo Office',
    streetAddress: 'Avenida Paulista 1000',
    city: 'São Paulo',
    state: 'SP',
    postalCode: '01310-100',
    country: 'Brazil',
    phonePrefix: '+55 11',
    preferredLanguage: 'pt-BR',
  },
  {
    name: 'Paris Office',
    streetAddress: '12 Rue de la Paix',
    city: 'Paris',
    state: null,
    postalCode: '75002',
    country: 'France',
    phonePrefix: '+33 1',
    preferredLanguage: 'fr-FR',
  },
  {
    name: 'Zürich Office',
    streetAddress: 'Bahnhofstrasse 1',
    city: 'Zürich',
    state: 'ZH',
    postalCode: '8001',
    country: 'Switzerland',
    phonePrefix: '+41 44',
    preferredLanguage: 'de-CH',
  },
  {
    name: 'Tokyo Office',
    streetAddress: '1-1 Marunouchi',
    city: 'Tokyo',
    state: null,
    postalCode: '100-0005',
    country: 'Japan',
    phonePrefix: '+81 3',
    preferredLanguage: 'ja-JP',
  },
  {
    name: 'Bengaluru Office',
    streetAddress: '80 Feet Road, Koramangala',
    city: 'Bengaluru',
    state: 'Karnataka',
    postalCode: '560034',
    country: 'India',
    phonePrefix: '+91 80',
    preferredLanguage: 'en-IN',
  },
];

/** Home organisations of B2B guests: the domain in their `#EXT#` UPN and their company name. */
export const GUEST_ORGANISATIONS: readonly { domain: string; companyName: string }[] = [
  { domain: 'fabrikam.com', companyName: 'Fabrikam, Inc.' },
  { domain: 'northwindtraders.com', companyName: 'Northwind Traders' },
  { domain: 'adventure-works.com', companyName: 'Adventure Works Cycles' },
  { domain: 'tailspintoys.com', companyName: 'Tailspin Toys' },
];

/** Kinds of groups; a group's display name is `<department> <kind> <index>`, unique through the index. */
export const GROUP_KINDS: readonly string[] = ['Team', 'Project', 'Distribution List', 'Champions', 'On-Call', 'Leads'];

export const TENANT_DOMAIN = 'contoso.com';
/** The tenant's initial domain, where guests' `#EXT#` UPNs live. */
export const TENANT_INITIAL_DOMAIN = 'contoso.onmicrosoft.com';
export const COMPANY_NAME = 'Contoso Ltd.';
export const APP_NAME = 'Contoso SCIM App';
/** The app owning the generated directory extension (costCenter), without dashes, as Entra names it. */
export const EXTENSION_APP_ID = 'b7e3f2a1c4d54e6f8a1b2c3d4e5f6071';
