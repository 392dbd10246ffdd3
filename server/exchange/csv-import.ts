// What every CSV import shares: reading the file (csv-parse) with the line number of each record,
// finding the columns by name, undoing the export's formula guard, the row-level error report, and the
// all-or-nothing write (one transaction, rolled back on any problem or on a dry run).

import { HttpException, PayloadTooLargeException, UnprocessableEntityException } from '@nestjs/common';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { describeDatabaseError } from '../common/database-errors.js';
import { unstorableText } from '../common/validation.js';
import type { Tx, UnitOfWork } from '../database/unit-of-work.js';

/** Bigger files should be split: one transaction must stay reasonable. Exports stop at the same size,
 * so every export can be imported back. */
export const MAX_IMPORT_ROWS = 50_000;
/** Largest CSV body accepted in one upload (express.text limit; larger bodies get a 413). */
export const IMPORT_BODY_LIMIT = '20mb';

export interface ImportRowError {
  /** Line number in the file (the header is line 1). */
  line: number;
  /** The field of the import (e.g. `createdAt`), `(row)` for the row as a whole. */
  field: string;
  /** The CSV column the value came from, when there is one. */
  column: string | null;
  message: string;
}

export interface CsvRecord {
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRecord[];
}

/** Spreadsheets show a cell starting with an apostrophe as text; the exports (server/common/csv.ts)
 * prefix cells that start with =, +, -, @, tab or CR with one. The import takes that guard off again,
 * so a source named `=HYPERLINK(...)` survives a round trip. Only the guard is removed: an apostrophe
 * before anything else is data. */
export function unguard(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

export function unprocessable(message: string, extra: object = {}): UnprocessableEntityException {
  return new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message, ...extra });
}

/** Records parsed between two turns of the event loop, so a big file never holds the server. */
const RECORDS_PER_TURN = 2_000;
/** Characters handed to the parser at a time. */
const CHUNK_CHARS = 64 * 1024;

function tooManyRows(): PayloadTooLargeException {
  return new PayloadTooLargeException({
    statusCode: 413,
    error: 'Payload Too Large',
    message: `CSV: more than ${MAX_IMPORT_ROWS} rows; at most ${MAX_IMPORT_ROWS} per import, split the file`,
    errors: [],
  });
}

/** The text in pieces that never split a surrogate pair (each piece is encoded to UTF-8 on its own). */
function* chunksOf(text: string): Generator<string> {
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + CHUNK_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * Parses the file as a stream (csv-parse), counting records as they come: past MAX_IMPORT_ROWS it
 * stops at once with a 413, so a body of millions of tiny lines never builds more than the cap.
 * 422 on malformed CSV, an empty file, or a cell that cannot be stored (a NUL character).
 */
export async function readCsv(csv: string): Promise<CsvTable> {
  const parser = Readable.from(chunksOf(csv), { objectMode: false }).pipe(
    // `to`: the parser itself stops after the header, the cap, and one row more (which means "too many"),
    // without reading the rest of the body.
    parse({ skip_empty_lines: true, trim: true, bom: true, relax_column_count: false, info: true, to: MAX_IMPORT_ROWS + 2 }),
  );
  let header: string[] | null = null;
  const rows: CsvRecord[] = [];
  const unstorable: ImportRowError[] = [];
  try {
    for await (const parsed of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // info.lines is where the record ends; a quoted cell may span lines, and the report names the first.
      const line = parsed.info.lines - parsed.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      const cells = parsed.record.map(unguard);
      for (const [index, cell] of cells.entries()) {
        const problem = unstorable.length < 100 ? unstorableText(cell) : null;
        if (problem) unstorable.push({ line, field: '(cell)', column: header?.[index] ?? `column ${index + 1}`, message: problem });
      }
      if (header === null) {
        header = cells;
        continue;
      }
      if (rows.length === MAX_IMPORT_ROWS) throw tooManyRows();
      rows.push({ line, cells });
      if (rows.length % RECORDS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    parser.destroy();
    if (error instanceof HttpException) throw error;
    throw unprocessable(`CSV: ${(error as Error).message}`, { errors: [] });
  }
  if (header === null) throw unprocessable('CSV: the file is empty (expected a header line)', { errors: [] });
  if (unstorable.length > 0) throw rejected(unstorable, { rows: rows.length });
  return { header, rows };
}

/** Column lookup: for each field, the first header (case-insensitive) among its names. */
export function findColumns<F extends string>(header: string[], names: Record<F, readonly string[]>): Record<F, string | null> {
  const lower = header.map((h) => h.toLowerCase());
  const columns = {} as Record<F, string | null>;
  for (const field of Object.keys(names) as F[]) {
    const found = [field.toLowerCase(), ...names[field]].map((name) => lower.indexOf(name)).find((i) => i >= 0);
    columns[field] = found === undefined ? null : header[found]!;
  }
  return columns;
}

/** A reader of one record's cells by field: empty cells are undefined. */
export function cellReader<F extends string>(header: string[], columns: Record<F, string | null>) {
  const index = new Map<F, number>();
  for (const [field, column] of Object.entries(columns) as Array<[F, string | null]>) {
    if (column !== null) index.set(field, header.indexOf(column));
  }
  return (cells: string[], field: F): string | undefined => {
    const i = index.get(field);
    const value = i === undefined || i < 0 ? undefined : cells[i];
    return value === undefined || value === '' ? undefined : value;
  };
}

export const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'new']);
export const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'existing']);

/** A number cell: currency signs and thousands separators are tolerated ("$1,200.50"). */
export function numberCell(text: string): number | null {
  const cleaned = text.replace(/[\s$€£,]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

/** An error thrown by a service (HttpException, "field: message") as a row error. */
export function rowErrorOf(error: unknown, line: number, columnOf: (field: string) => string | null): ImportRowError {
  const database = describeDatabaseError(error);
  const raw = database
    ? database.message
    : error instanceof HttpException
      ? ((error.getResponse() as { message?: string | string[] }).message ?? error.message)
      : (error as Error).message;
  const message = Array.isArray(raw) ? raw.join('; ') : String(raw);
  const match = /^([A-Za-z][\w.]*): (.*)$/s.exec(message);
  if (match) return { line, field: match[1]!, column: columnOf(match[1]!), message: match[2]! };
  return { line, field: '(row)', column: null, message };
}

/** How long an import works before it lets other requests in. */
const YIELD_EVERY_MS = 20;

/** A function to await between rows: every YIELD_EVERY_MS of work it lets the event loop turn, so
 * other requests are answered while a big file is checked or written (the embedded database answers
 * as microtasks and would otherwise keep them all waiting). */
export function takingTurns(): () => Promise<void> {
  let turnStarted = Date.now();
  return async () => {
    if (Date.now() - turnStarted < YIELD_EVERY_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    turnStarted = Date.now();
  };
}

/** Thrown inside the transaction to roll it back (dry run or errors), carrying the result out. */
class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super('rollback');
  }
}

/**
 * Runs `work` in ONE transaction. Each row runs in its own savepoint, so a row that fails while writing
 * is reported and the next rows are still checked (every bad row is reported, not only the first); at
 * the end, any error or a dry run rolls everything back, and no domain event is published.
 */
export async function allOrNothing<T>(
  unitOfWork: UnitOfWork,
  dryRun: boolean,
  work: (
    tx: Tx,
    guarded: (line: number, columnOf: (field: string) => string | null, row: () => Promise<void>) => Promise<void>,
    errors: ImportRowError[],
  ) => Promise<T>,
): Promise<{ result: T; errors: ImportRowError[] }> {
  const errors: ImportRowError[] = [];
  try {
    const result = await unitOfWork.run(async (tx) => {
      let savepoint = 0;
      const turn = takingTurns();
      const guarded = async (line: number, columnOf: (field: string) => string | null, row: () => Promise<void>) => {
        await turn();
        const name = `import_row_${++savepoint}`;
        await tx.manager.query(`SAVEPOINT ${name}`);
        try {
          await row();
          await tx.manager.query(`RELEASE SAVEPOINT ${name}`);
        } catch (error) {
          await tx.manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
          errors.push(rowErrorOf(error, line, columnOf));
        }
      };
      const result = await work(tx, guarded, errors);
      if (dryRun || errors.length > 0) throw new Rollback(result);
      return result;
    });
    return { result, errors };
  } catch (error) {
    if (error instanceof Rollback) return { result: error.result as T, errors };
    throw error;
  }
}

/** The 422 of an import with problems: every row error, and the counts it would have had. */
export function rejected(errors: ImportRowError[], report: object): UnprocessableEntityException {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  const first = sorted[0]!;
  return unprocessable(`${sorted.length} problem(s); nothing was imported. First: line ${first.line} ${first.field}: ${first.message}`, {
    ...report,
    errors: sorted,
  });
}
