// CSV export of the reports: RFC 4180 (quotes doubled, fields with a comma, quote or line break quoted,
// CRLF line ends) by csv-stringify, plus a UTF-8 byte order mark so that spreadsheets read accents right.
//
// Spreadsheet formula injection: a text cell that starts with =, +, -, @, a tab or a carriage return
// would be run as a formula by Excel, LibreOffice or Google Sheets (a source named
// `=HYPERLINK("http://x","y")`). Such cells get a leading apostrophe, which spreadsheets show as text.
// Numbers are written by this code from typed numbers (a negative ROI is a number, not a formula), so they
// are left as they are: the CSV carries exactly the numbers of the JSON.

import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';

export type CsvCell = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return neutraliseFormula(value);
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return stringify([header.map(cell), ...rows.map((row) => row.map(cell))], { bom: true, record_delimiter: 'windows', quoted_string: false });
}

/** Answers with `csv` as a download named `<name>.csv`. `noStore` for files that carry patient details:
 * no browser or proxy keeps a copy. */
export function sendCsv(response: Response, name: string, csv: string, options: { noStore?: boolean } = {}): string {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  if (options.noStore) response.setHeader('Cache-Control', 'no-store');
  return csv;
}
