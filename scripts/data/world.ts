/**
 * The markets Cairn's demo and scale data live in: 15 countries, 6 currencies, with names,
 * cities, languages and time zones that belong together.
 */
export interface Market {
  country: string;
  currency: string;
  language: string;
  timezone: string;
  phonePrefix: string;
  weight: number;
  cities: Array<[city: string, region: string, postalCode: string]>;
  firstNames: string[];
  lastNames: string[];
}

export const CURRENCIES = ['EUR', 'USD', 'GBP', 'SEK', 'JPY', 'CNY'] as const;

export const MARKETS: Market[] = [
  {
    country: 'US',
    currency: 'USD',
    language: 'en',
    timezone: 'America/New_York',
    phonePrefix: '+1212',
    weight: 18,
    cities: [
      ['New York', 'NY', '10001'],
      ['Los Angeles', 'CA', '90012'],
      ['Chicago', 'IL', '60601'],
      ['Austin', 'TX', '73301'],
    ],
    firstNames: ['Emma', 'Olivia', 'Ava', 'Liam', 'Noah', 'Mia', 'Ethan', 'Harper', 'Lucas', 'Amelia'],
    lastNames: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Garcia', 'Wilson', 'Moore'],
  },
  {
    country: 'CA',
    currency: 'USD',
    language: 'en',
    timezone: 'America/Toronto',
    phonePrefix: '+1416',
    weight: 5,
    cities: [
      ['Toronto', 'ON', 'M5H 2N2'],
      ['Vancouver', 'BC', 'V6B 1A1'],
      ['Montréal', 'QC', 'H2Y 1C6'],
    ],
    firstNames: ['Chloé', 'Liam', 'Olivia', 'William', 'Charlotte', 'Benjamin', 'Léa', 'Noah'],
    lastNames: ['Tremblay', 'Martin', 'Roy', 'Wilson', 'MacDonald', 'Gagnon', 'Taylor', 'Campbell'],
  },
  {
    country: 'MX',
    currency: 'USD',
    language: 'es',
    timezone: 'America/Mexico_City',
    phonePrefix: '+5255',
    weight: 4,
    cities: [
      ['Ciudad de México', 'CDMX', '06000'],
      ['Guadalajara', 'JAL', '44100'],
      ['Monterrey', 'NL', '64000'],
    ],
    firstNames: ['Sofía', 'Valentina', 'Santiago', 'Mateo', 'Regina', 'Diego', 'Camila', 'Emiliano'],
    lastNames: ['Hernández', 'García', 'Martínez', 'López', 'González', 'Rodríguez', 'Pérez', 'Sánchez'],
  },
  {
    country: 'GB',
    currency: 'GBP',
    language: 'en',
    timezone: 'Europe/London',
    phonePrefix: '+4420',
    weight: 12,
    cities: [
      ['London', 'England', 'EC1A 1BB'],
      ['Manchester', 'England', 'M1 1AE'],
      ['Edinburgh', 'Scotland', 'EH1 1YZ'],
    ],
    firstNames: ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Jack', 'Poppy', 'Freya', 'Alfie'],
    lastNames: ['Taylor', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Hughes', 'Edwards', 'Green', 'Hall'],
  },
  {
    country: 'IE',
    currency: 'EUR',
    language: 'en',
    timezone: 'Europe/Dublin',
    phonePrefix: '+3531',
    weight: 3,
    cities: [
      ['Dublin', 'Leinster', 'D02 X285'],
      ['Cork', 'Munster', 'T12 R229'],
      ['Galway', 'Connacht', 'H91 E2K3'],
    ],
    firstNames: ['Saoirse', 'Conor', 'Aoife', 'Seán', 'Niamh', 'Oisín', 'Ciara', 'Darragh'],
    lastNames: ['Murphy', 'Kelly', "O'Sullivan", 'Walsh', 'Byrne', 'Ryan', "O'Brien", 'Doyle'],
  },
  {
    country: 'DE',
    currency: 'EUR',
    language: 'de',
    timezone: 'Europe/Berlin',
    phonePrefix: '+4930',
    weight: 12,
    cities: [
      ['Berlin', 'Berlin', '10115'],
      ['München', 'Bayern', '80331'],
      ['Hamburg', 'Hamburg', '20095'],
      ['Köln', 'NRW', '50667'],
    ],
    firstNames: ['Mia', 'Emilia', 'Hannah', 'Leon', 'Paul', 'Lukas', 'Sophie', 'Finn', 'Lena', 'Jonas'],
    lastNames: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Meyer',
      'Wagner',
      'Becker',
      'Hoffmann',
      'Schulz',
    ],
  },
  {
    country: 'FR',
    currency: 'EUR',
    language: 'fr',
    timezone: 'Europe/Paris',
    phonePrefix: '+331',
    weight: 10,
    cities: [
      ['Paris', 'Île-de-France', '75001'],
      ['Lyon', 'Auvergne-Rhône-Alpes', '69001'],
      ['Marseille', "Provence-Alpes-Côte d'Azur", '13001'],
    ],
    firstNames: ['Louise', 'Jade', 'Gabriel', 'Léo', 'Ambre', 'Raphaël', 'Alice', 'Arthur', 'Chloé', 'Hugo'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau'],
  },
  {
    country: 'ES',
    currency: 'EUR',
    language: 'es',
    timezone: 'Europe/Madrid',
    phonePrefix: '+3491',
    weight: 8,
    cities: [
      ['Madrid', 'Madrid', '28013'],
      ['Barcelona', 'Cataluña', '08002'],
      ['Valencia', 'Comunidad Valenciana', '46002'],
      ['Sevilla', 'Andalucía', '41001'],
    ],
    firstNames: ['Lucía', 'Martina', 'Hugo', 'Martín', 'Sofía', 'Pablo', 'Daniela', 'Alejandro', 'Julia', 'Álvaro'],
    lastNames: [
      'García',
      'Fernández',
      'González',
      'Rodríguez',
      'López',
      'Martínez',
      'Sánchez',
      'Pérez',
      'Gómez',
      'Ruiz',
    ],
  },
  {
    country: 'IT',
    currency: 'EUR',
    language: 'it',
    timezone: 'Europe/Rome',
    phonePrefix: '+3906',
    weight: 7,
    cities: [
      ['Roma', 'Lazio', '00184'],
      ['Milano', 'Lombardia', '20121'],
      ['Napoli', 'Campania', '80133'],
      ['Torino', 'Piemonte', '10121'],
    ],
    firstNames: ['Sofia', 'Giulia', 'Aurora', 'Leonardo', 'Francesco', 'Alessandro', 'Ginevra', 'Lorenzo'],
    lastNames: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci'],
  },
  {
    country: 'NL',
    currency: 'EUR',
    language: 'nl',
    timezone: 'Europe/Amsterdam',
    phonePrefix: '+3120',
    weight: 5,
    cities: [
      ['Amsterdam', 'Noord-Holland', '1012 JS'],
      ['Rotterdam', 'Zuid-Holland', '3011 AD'],
      ['Utrecht', 'Utrecht', '3511 AX'],
    ],
    firstNames: ['Emma', 'Julia', 'Daan', 'Sem', 'Tess', 'Lucas', 'Mila', 'Finn'],
    lastNames: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Visser', 'Smit'],
  },
  {
    country: 'BE',
    currency: 'EUR',
    language: 'fr',
    timezone: 'Europe/Brussels',
    phonePrefix: '+322',
    weight: 3,
    cities: [
      ['Bruxelles', 'Bruxelles-Capitale', '1000'],
      ['Antwerpen', 'Vlaanderen', '2000'],
      ['Liège', 'Wallonie', '4000'],
    ],
    firstNames: ['Olivia', 'Louis', 'Emma', 'Arthur', 'Louise', 'Jules', 'Elena', 'Noah'],
    lastNames: ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Dubois', 'Lambert', 'Dupont', 'Claes'],
  },
  {
    country: 'SE',
    currency: 'SEK',
    language: 'sv',
    timezone: 'Europe/Stockholm',
    phonePrefix: '+468',
    weight: 4,
    cities: [
      ['Stockholm', 'Stockholm', '111 20'],
      ['Göteborg', 'Västra Götaland', '411 03'],
      ['Malmö', 'Skåne', '211 20'],
    ],
    firstNames: ['Alice', 'Maja', 'Elsa', 'William', 'Oscar', 'Astrid', 'Hugo', 'Ebba'],
    lastNames: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson'],
  },
  {
    country: 'JP',
    currency: 'JPY',
    language: 'ja',
    timezone: 'Asia/Tokyo',
    phonePrefix: '+813',
    weight: 4,
    cities: [
      ['Tokyo', 'Tokyo', '100-0001'],
      ['Osaka', 'Osaka', '530-0001'],
      ['Kyoto', 'Kyoto', '600-8216'],
    ],
    firstNames: ['Yui', 'Haruto', 'Sakura', 'Sota', 'Hina', 'Ren', 'Aoi', 'Yuto'],
    lastNames: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura'],
  },
  {
    country: 'CN',
    currency: 'CNY',
    language: 'zh',
    timezone: 'Asia/Shanghai',
    phonePrefix: '+8621',
    weight: 4,
    cities: [
      ['Shanghai', 'Shanghai', '200000'],
      ['Beijing', 'Beijing', '100000'],
      ['Shenzhen', 'Guangdong', '518000'],
    ],
    firstNames: ['Wei', 'Fang', 'Jing', 'Lei', 'Min', 'Yan', 'Hao', 'Xin'],
    lastNames: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao'],
  },
  {
    country: 'AU',
    currency: 'USD',
    language: 'en',
    timezone: 'Australia/Sydney',
    phonePrefix: '+612',
    weight: 4,
    cities: [
      ['Sydney', 'NSW', '2000'],
      ['Melbourne', 'VIC', '3000'],
      ['Brisbane', 'QLD', '4000'],
    ],
    firstNames: ['Charlotte', 'Oliver', 'Isla', 'Jack', 'Matilda', 'William', 'Zoe', 'Henry'],
    lastNames: ['Smith', 'Jones', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Nguyen', 'Anderson'],
  },
];

export const STYLE_INTERESTS = [
  'chic',
  'casual',
  'luxury',
  'sustainable',
  'streetwear',
  'vintage',
  'minimalist',
  'sporty',
];
export const BRANDS = [
  'Maison Lumière',
  'Nordlys',
  'Terra & Thread',
  'Vela',
  'Kōri',
  'Atelier Sur',
  'Bloom Street',
  'Oak & Salt',
  'Ferro',
  'Lune',
];

/** Base-currency (EUR) value of one unit of each currency, roughly; daily rates jitter around it. */
export const EUR_PER_UNIT: Record<(typeof CURRENCIES)[number], number> = {
  EUR: 1,
  USD: 0.92,
  GBP: 1.17,
  SEK: 0.087,
  JPY: 0.0061,
  CNY: 0.127,
};

export function emailFor(first: string, last: string, n: number): string {
  const ascii = (value: string) =>
    value
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-zA-Z]/g, '')
      .toLowerCase();
  return `${ascii(first)}.${ascii(last)}${n}@example.com`;
}
