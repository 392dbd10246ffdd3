// Day arithmetic on the API's practice-local 'YYYY-MM-DD' days. The server has done the time-zone work
// (every day it sends is already the practice's day), so plain UTC-midnight maths is exact here.

/** 'YYYY-MM-DD' plus n days: `addDays('2026-03-28', 2)` is '2026-03-30'. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (`to` - `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
