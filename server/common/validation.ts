// Request validation for every route: the global pipe (http-app.ts) that runs each route's zod schema
// (`@Body({ schema })`, `@Query({ schema })`) and answers a 400 naming each field, after refusing text
// PostgreSQL cannot store as sent; and the OpenAPI body schema taken from the same zod schema.

import { BadRequestException, StandardSchemaValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

function fieldName(path: StandardSchemaV1.Issue['path']): string {
  if (!path || path.length === 0) return '(body)';
  return path.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
}

function badRequest(errors: FieldError[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot store this text as it is, or null. A NUL byte is refused by PostgreSQL (a
 * 500 if it got that far); a lone UTF-16 surrogate (`"\ud800"` in JSON) would be silently replaced
 * by U+FFFD on the way to the database, changing what the sender sent. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
  return null;
}

const MAX_SCAN_DEPTH = 32;

/** Every string (and object key) of a parsed body, query or params that cannot be stored, by field. */
export function unstorableFields(value: unknown, path: string[] = [], found: FieldError[] = [], depth = 0): FieldError[] {
  const field = () => (path.length === 0 ? '(body)' : path.join('.'));
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    if (problem) found.push({ field: field(), message: problem });
  } else if (value !== null && typeof value === 'object' && depth < MAX_SCAN_DEPTH && found.length < 20) {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = unstorableText(key);
      if (keyProblem) {
        found.push({ field: path.length === 0 ? '(key)' : `${field()}.(key)`, message: keyProblem });
        continue;
      }
      unstorableFields(item, [...path, key], found, depth + 1);
    }
  }
  return found;
}

/** The schema pipe, after a check every route gets whatever its schema: no text field may carry a
 * NUL or a lone surrogate (400 naming the field), so such input never reaches the database. */
class StorableTextValidationPipe extends StandardSchemaValidationPipe {
  override async transform<T = unknown>(value: T, metadata: ArgumentMetadata): Promise<T> {
    // A text body (a CSV upload) is checked cell by cell by the import, which names line and column.
    const csvUpload = metadata.type === 'body' && typeof value === 'string';
    if ((metadata.type === 'body' && !csvUpload) || metadata.type === 'query' || metadata.type === 'param') {
      const problems = unstorableFields(value, metadata.type === 'param' && metadata.data ? [metadata.data] : []);
      if (problems.length > 0) throw badRequest(problems);
    }
    return super.transform(value, metadata);
  }
}

/** Validation failures as a 400 whose message names each field: `channel: Invalid option ...`. */
export function validationPipe(): StandardSchemaValidationPipe {
  return new StorableTextValidationPipe({
    exceptionFactory: (issues) => badRequest(issues.map((issue) => ({ field: fieldName(issue.path), message: issue.message }))),
  });
}

/** A request body's JSON Schema for OpenAPI, from the same zod schema that validates it. */
export function openApiBody(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return jsonSchema;
}
