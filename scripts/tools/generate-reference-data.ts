/**
 * Prints the SQL `insert`s of Cairn's reference data — ISO 3166-1 countries, ISO 4217
 * currencies, ISO 639-1 languages — from well-kept npm packages, for pasting into a migration.
 * Reference data changes rarely; when it does, add a migration with the difference.
 *
 *   npx tsx scripts/tools/generate-reference-data.ts > /tmp/reference.sql
 */
import countries from 'i18n-iso-countries';
import currencyCodes from 'currency-codes';
import languages from 'iso-639-1';

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

function values(rows: string[][]): string {
  return rows.map((row) => `  (${row.join(', ')})`).join(',\n');
}

const countryNames = countries.getNames('en', { select: 'official' });
const countryRows = Object.entries(countryNames)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([code, name]) => [quote(code), quote(name)]);

const currencyRows = currencyCodes.data
  .filter((currency) => !/^X/.test(currency.code) || ['XAF', 'XCD', 'XOF', 'XPF'].includes(currency.code))
  .sort((a, b) => a.code.localeCompare(b.code))
  .map((currency) => [quote(currency.code), quote(currency.currency), String(currency.digits)]);

const languageRows = languages
  .getAllCodes()
  .sort()
  .map((code) => [quote(code), quote(languages.getName(code))]);

console.log(`insert into public.countries (code, name) values\n${values(countryRows)};\n`);
console.log(`insert into public.currencies (code, name, minor_units) values\n${values(currencyRows)};\n`);
console.log(`insert into public.languages (code, name) values\n${values(languageRows)};`);
