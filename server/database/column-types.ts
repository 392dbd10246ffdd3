import type { ValueTransformer } from 'typeorm';

/** PostgreSQL `numeric` comes back from pg as a string (to keep precision); money here fits a double. */
export const numericColumn: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
