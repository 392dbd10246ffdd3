// Sortable tables: a column says how to read its sort value and its cell text from a row; sorting puts
// null values last whatever the direction (a source with "no spend entered" never sorts as the best or the
// worst ROI). Plain functions, tested in test/wallboard/reports-table.test.ts.

import type { RateText } from './format.js';
export interface Column<R> {
  id: string;
  label: string;
  /** What the column sorts by; null sorts last. */
  value: (row: R) => number | string | null;
  /** The cell text (from the shared formatter). */
  text: (row: R) => string;
  /** A note beside the text, e.g. `small sample (n=4)`. */
  flag?: (row: R) => string | null;
  /** Right-aligned, and sorted biggest first on the first click. */
  numeric: boolean;
  /** A short explanation shown as the header's title. */
  about?: string;
}

/** A column of rates: sorted by the rate, its text and small-sample flag from the shared `rateText`. */
export function rateColumn<R>(column: { id: string; label: string; about?: string }, value: (row: R) => number | null, rate: (row: R) => RateText): Column<R> {
  return { ...column, numeric: true, value, text: (row) => rate(row).text, flag: (row) => rate(row).flag };
}

export interface Sort {
  id: string;
  descending: boolean;
}

/** `-roi` → { id: 'roi', descending: true }; null or '' → null. */
export function parseSort(sort: string | null): Sort | null {
  if (!sort) return null;
  return sort.startsWith('-') ? { id: sort.slice(1), descending: true } : { id: sort, descending: false };
}

/** The sort after a click on a column's header: numbers biggest first, text A→Z; a second click flips it. */
export function nextSort(current: string | null, column: Pick<Column<unknown>, 'id' | 'numeric'>): string {
  const sort = parseSort(current);
  if (sort?.id === column.id) return sort.descending ? column.id : `-${column.id}`;
  return column.numeric ? `-${column.id}` : column.id;
}

/** aria-sort of a header. */
export function ariaSort(current: string | null, id: string): 'ascending' | 'descending' | 'none' {
  const sort = parseSort(current);
  if (sort?.id !== id) return 'none';
  return sort.descending ? 'descending' : 'ascending';
}

/** Compares two sort values: nulls last in both directions, numbers numerically, text by locale. */
export function compareValues(a: number | string | null, b: number | string | null, descending: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'en', { sensitivity: 'base' });
  return descending ? -order : order;
}

/** The rows in the sort's order (a stable sort; the API's order breaks ties). An unknown column keeps the API's order. */
export function sortRows<R>(rows: readonly R[], columns: ReadonlyArray<Column<R>>, sort: string | null): R[] {
  const parsed = parseSort(sort);
  const column = parsed ? columns.find((c) => c.id === parsed.id) : undefined;
  if (!parsed || !column) return [...rows];
  return rows
    .map((row, index) => ({ row, index, value: column.value(row) }))
    .sort((a, b) => compareValues(a.value, b.value, parsed.descending) || a.index - b.index)
    .map((entry) => entry.row);
}
