import { BadRequestException, StandardSchemaValidationPipe } from '@nestjs/common';
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

/** Validation failures as a 400 whose message names each field: `channel: Invalid option ...`. */
export function validationPipe(): StandardSchemaValidationPipe {
  return new StandardSchemaValidationPipe({
    exceptionFactory: (issues) => {
      const errors: FieldError[] = issues.map((issue) => ({ field: fieldName(issue.path), message: issue.message }));
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors,
      });
    },
  });
}

/** A request body's JSON Schema for OpenAPI, from the same zod schema that validates it. */
export function openApiBody(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return jsonSchema;
}
