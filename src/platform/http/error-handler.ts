import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { classifyDatabaseError, type DatabaseFailure } from '../db/errors.ts';
import { AppError, type ErrorBody, type FieldError } from './errors.ts';

type Answer = Omit<ErrorBody, 'requestId'>;

const STATUS_ANSWERS: Record<number, { code: string; message: string }> = {
  400: { code: 'bad_request', message: 'The request could not be read. Check its format and try again.' },
  401: { code: 'unauthenticated', message: 'Please sign in.' },
  403: { code: 'forbidden', message: 'You do not have permission to do that.' },
  404: { code: 'not_found', message: 'That resource was not found.' },
  405: { code: 'method_not_allowed', message: 'That method is not allowed here.' },
  406: { code: 'not_acceptable', message: 'That response format is not available.' },
  413: { code: 'payload_too_large', message: 'The request is too large.' },
  415: { code: 'unsupported_media_type', message: 'That content type is not accepted here.' },
  429: { code: 'rate_limited', message: 'Too many requests. Wait a moment and try again.' },
};

const INTERNAL: Answer = {
  status: 500,
  code: 'internal_error',
  message:
    'Something went wrong on our side. Nothing was changed; quote the request id if you contact support.',
};

/** Installs Haven's error vocabulary: every failure leaves as { status, code, message, fields?, requestId }. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const answer = answerFor(error);
    if (answer.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: answer.code, status: answer.status }, 'request refused');
    }
    return reply.status(answer.status).send({ ...answer, requestId: request.id });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      status: 404,
      code: 'not_found',
      message: 'There is no page or API route at this address.',
      requestId: request.id,
    }),
  );
}

function answerFor(error: FastifyError): Answer {
  if (error instanceof AppError) {
    return withFields({ status: error.status, code: error.code, message: error.message }, error.fields);
  }
  if (error.validation !== undefined) {
    const fields = error.validation.map((issue) => fieldError(error.validationContext, issue));
    const count =
      fields.length === 1 ? 'a field that is not valid' : `${fields.length} fields that are not valid`;
    return { status: 400, code: 'validation_failed', message: `The request has ${count}.`, fields };
  }
  const database = answerForDatabase(error);
  if (database !== undefined) {
    return database;
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' };
  }
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return {
      status,
      ...(STATUS_ANSWERS[status] ?? { code: 'bad_request', message: STATUS_ANSWERS[400]!.message }),
    };
  }
  return INTERNAL;
}

const DATABASE_ANSWERS: Record<DatabaseFailure, Answer> = {
  unique_violation: {
    status: 409,
    code: 'conflict',
    message: 'This already exists: a value that must be unique is already in use.',
  },
  foreign_key_violation: {
    status: 409,
    code: 'conflict',
    message: 'This refers to a record that does not exist, or is still in use.',
  },
  check_violation: { status: 400, code: 'validation_failed', message: 'A value is missing or not allowed.' },
  not_null_violation: {
    status: 400,
    code: 'validation_failed',
    message: 'A value is missing or not allowed.',
  },
  invalid_value: {
    status: 400,
    code: 'validation_failed',
    message: 'A value cannot be stored: it is out of range, too long, or holds a character such as NUL.',
  },
  // Row-level security refused the row: to the caller it belongs to no school they can see.
  row_security: { status: 404, code: 'not_found', message: 'That resource was not found.' },
  retryable: { status: 503, code: 'try_again', message: 'The service is busy. Please try again.' },
  unavailable: {
    status: 503,
    code: 'service_unavailable',
    message: 'The database is not available. Please try again shortly.',
  },
};

function answerForDatabase(error: unknown): Answer | undefined {
  const failure = classifyDatabaseError(error);
  return failure === undefined ? undefined : DATABASE_ANSWERS[failure];
}

interface ValidationIssue {
  instancePath: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

function fieldError(context: string | undefined, issue: ValidationIssue): FieldError {
  const where = (context ?? 'body').replace('querystring', 'query');
  const parts = issue.instancePath.split('/').filter((part) => part !== '');
  const missing = issue.params.missingProperty;
  if (typeof missing === 'string') {
    parts.push(missing);
  }
  const extra = issue.params.additionalProperty;
  if (typeof extra === 'string') {
    parts.push(extra);
  }
  const field = [where, ...parts].join('.');
  return { field, message: issue.message ?? 'is not valid' };
}

function withFields(answer: Answer, fields: FieldError[] | undefined): Answer {
  return fields === undefined ? answer : { ...answer, fields };
}
