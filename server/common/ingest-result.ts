// What every idempotent write of the ingest API answers (leads, lead events, calls): the record, and
// whether this request created it (201) or a retry found it already there (200, nothing changed).

export interface IngestResult<T> {
  /** false when an idempotent retry found the existing record and changed nothing. */
  created: boolean;
  value: T;
}
