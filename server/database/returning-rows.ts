/** The rows of an UPDATE ... RETURNING run through `query`: TypeORM answers [rows, count] on
 * PostgreSQL, plain rows elsewhere. */
export function returningRows<T>(result: T[] | [T[], number]): T[] {
  return Array.isArray(result[0]) ? result[0] : (result as T[]);
}
