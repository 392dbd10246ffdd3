/**
 * A CSV syntax error, with the 1-based line and column where it was found.
 *
 * @example
 * try { parseCsv('"a'); } catch (e) { if (e instanceof CsvError) e.line; } // 1
 */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'CsvError';
  }
}

/** One parsed record and the 1-based line it starts on (for error messages). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses RFC 4180 CSV: comma-separated fields, optional double quotes around a field, `""` for a
 * quote inside quotes, commas and line breaks allowed inside quotes, CRLF or LF line ends, a
 * final line break optional, a UTF-8 byte-order mark ignored. Blank lines are skipped.
 *
 * Throws {@link CsvError} naming line and column for an unterminated quoted field or text after
 * a closing quote (`"a"b`). Empty input gives []. Cost: O(length).
 *
 * @example
 * parseCsv('date,value\r\n"2026-01-01",3\r\n'); // [{ line: 1, fields: ['date', 'value'] }, { line: 2, fields: ['2026-01-01', '3'] }]
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let wasQuoted = false; // a quoted empty field ("") still makes a record non-blank
  let line = 1;
  let column = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = (): void => {
    fields.push(field);
    field = '';
  };
  const endRecord = (): void => {
    const blank = fields.length === 0 && field === '' && !wasQuoted;
    endField();
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    wasQuoted = false;
  };
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '"' && field === '' && !wasQuoted) {
      const quoteLine = line;
      const quoteColumn = column;
      wasQuoted = true;
      i++;
      column++;
      for (;;) {
        if (i >= text.length) throw new CsvError('quoted field is not closed', quoteLine, quoteColumn);
        const c = text[i] as string;
        i++;
        column++;
        if (c === '"') {
          if (text[i] !== '"') break;
          i++;
          column++;
        } else if (c === '\n') {
          line++;
          column = 1;
        }
        field += c;
      }
      const after = text[i];
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
        throw new CsvError('unexpected text after a closing quote', line, column);
      }
    } else if (char === ',') {
      endField();
      wasQuoted = false;
      i++;
      column++;
    } else if (char === '\n' || char === '\r') {
      endRecord();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      column = 1;
      recordLine = line;
    } else {
      field += char;
      i++;
      column++;
    }
  }
  if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
  return records;
}
