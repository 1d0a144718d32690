import { Type, type Static } from 'typebox';

/**
 * Haven's one error vocabulary: an HTTP status, a stable machine-readable code and a message a school
 * data manager can act on. Messages never carry personal data (use pseudonymous ids) or internals.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[] | undefined;

  constructor(status: number, code: string, message: string, fields?: FieldError[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export const FieldErrorSchema = Type.Object({
  field: Type.String({ description: 'Where the problem is, e.g. body.email or query.page' }),
  message: Type.String(),
});
export type FieldError = Static<typeof FieldErrorSchema>;

/** The body of every error response. */
export const ErrorBodySchema = Type.Object(
  {
    status: Type.Integer(),
    code: Type.String({ description: 'Stable identifier, e.g. validation_failed, not_found' }),
    message: Type.String(),
    fields: Type.Optional(Type.Array(FieldErrorSchema)),
    requestId: Type.String({ description: 'Quote this when asking for support' }),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBodySchema>;

export const notFound = (what = 'That resource'): AppError =>
  new AppError(404, 'not_found', `${what} was not found.`);
export const conflict = (message: string): AppError => new AppError(409, 'conflict', message);
export const badRequest = (message: string, fields?: FieldError[]): AppError =>
  new AppError(400, 'validation_failed', message, fields);

/** Response schemas for the error statuses a route can answer (OpenAPI documents each). */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorBodySchema> {
  const responses: Record<number, typeof ErrorBodySchema> = {};
  for (const status of statuses) {
    responses[status] = ErrorBodySchema;
  }
  return responses;
}
