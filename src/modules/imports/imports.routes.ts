import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Check, Default } from 'typebox/value';
import { csvDownload } from '../../platform/http/csv.ts';
import { AppError, badRequest, errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, requireSession, signedIn } from '../organisations/auth.hooks.ts';
import { previewUpload } from './upload-preview.service.ts';
import { TEMPLATE_FIELDS } from './columns.ts';
import type { ImportOptions } from './imports.service.ts';
import {
  CommitResponse,
  ImportDetail,
  ImportOptionsSchema,
  ImportParams,
  ImportSummary,
  PreviewResponse,
  SchoolParams,
  StagedResponse,
  TemplateFields,
} from './imports.schema.ts';
import { describeIssue, type ImportIssue } from './report.ts';
import {
  commitUpload,
  discardUpload,
  importHistory,
  importStatus,
  revalidateUpload,
  stageUpload,
  type ImportView,
} from './staged-imports.service.ts';

// Files bigger than this go through `./haven import` (which streams any size) rather than an upload.
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const errors = errorResponses(400, 401, 403, 404, 409, 413);

function fieldText(fields: Record<string, unknown>, name: string): string | undefined {
  const part = fields[name];
  return typeof part === 'object' &&
    part !== null &&
    'type' in part &&
    part.type === 'field' &&
    'value' in part
    ? String(part.value)
    : undefined;
}

function parseOptions(text: string | undefined): ImportOptions {
  let value: unknown = {};
  if (text !== undefined && text !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw badRequest('The import options are not valid JSON.', [
        { field: 'options', message: 'is not JSON' },
      ]);
    }
  }
  const withDefaults = Default(ImportOptionsSchema, value);
  if (!Check(ImportOptionsSchema, withDefaults)) {
    throw badRequest('The import options are not valid.', [
      {
        field: 'options',
        message: 'must be {template?, assessmentPoint?, columns?, subjects?, pseudonymousUpn?, noNames?}',
      },
    ]);
  }
  return withDefaults;
}

/** The uploaded file and its options (the "options" field must come before the file). */
async function readUpload(
  request: FastifyRequest,
): Promise<{ name: string; content: Buffer; options: ImportOptions }> {
  let file;
  try {
    file = await request.file({
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, fieldSize: 200_000 },
    });
  } catch {
    throw badRequest('Send the file as multipart/form-data with a "file" part.', [
      { field: 'file', message: 'is missing' },
    ]);
  }
  if (file === undefined) {
    throw badRequest('Attach the file to import.', [{ field: 'file', message: 'is missing' }]);
  }
  let content: Buffer;
  try {
    content = await file.toBuffer();
  } catch (error) {
    if (error instanceof request.server.multipartErrors.RequestFileTooLargeError) {
      throw new AppError(
        413,
        'file_too_large',
        `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Import it with ./haven import, which reads files of any size.`,
        [{ field: 'file', message: 'is too large to upload' }],
      );
    }
    throw error;
  }
  return { name: file.filename, content, options: parseOptions(fieldText(file.fields, 'options')) };
}

function summary(entry: ImportView) {
  const report = entry.report;
  return {
    id: entry.id,
    format: entry.format,
    status: entry.status,
    fileSize: entry.fileSize,
    counts: entry.counts,
    errors: (report?.errors.length ?? 0) + (report?.omitted.errors ?? 0),
    warnings: (report?.warnings.length ?? 0) + (report?.omitted.warnings ?? 0),
    createdBy: entry.createdBy,
    createdAt: entry.createdAt.toISOString(),
    committedAt: entry.committedAt?.toISOString() ?? null,
  };
}

/** Imports through the API: upload (validated at once), re-map, commit with progress, history. */
export const importRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  await app.register(multipart);
  const importers = requireSchoolPermission(services, 'imports.run');

  app.get(
    '/api/v1/import-templates',
    {
      config: { access: 'session' },
      onRequest: requireSession(services),
      schema: {
        summary: 'The fields of each import layout, with the column headers recognised for them',
        tags: ['imports'],
        response: { 200: TemplateFields, ...errors },
      },
    },
    async () =>
      Object.entries(TEMPLATE_FIELDS).map(([template, fields]) => ({
        template,
        fields: fields.map(({ field, identifier, headers }) => ({ field, identifier, headers })),
      })),
  );

  app.post(
    '/api/v1/schools/:schoolId/imports',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      bodyLimit: MAX_UPLOAD_BYTES + 1_000_000,
      schema: {
        summary:
          'Upload a file (multipart: an "options" JSON field, then "file"); it is validated at once and kept for commit',
        tags: ['imports'],
        consumes: ['multipart/form-data'],
        params: SchoolParams,
        response: { 201: StagedResponse, ...errors },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request);
      const outcome = await stageUpload(
        services,
        signedIn(request),
        request.params.schoolId,
        upload,
        request.id,
      );
      return reply.status(201).send(outcome);
    },
  );

  app.get(
    '/api/v1/schools/:schoolId/imports',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      schema: {
        summary: 'Import history, newest first',
        tags: ['imports'],
        params: SchoolParams,
        response: { 200: Type.Array(ImportSummary), ...errors },
      },
    },
    async (request) => (await importHistory(services, request.params.schoolId)).map(summary),
  );

  app.get(
    '/api/v1/schools/:schoolId/imports/:importId',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      schema: {
        summary: 'One import: status, validation report and, while committing, progress',
        tags: ['imports'],
        params: ImportParams,
        response: { 200: ImportDetail, ...errors },
      },
    },
    async (request) => {
      const entry = await importStatus(services, request.params.schoolId, request.params.importId);
      return {
        ...summary(entry),
        report: entry.report ?? {},
        ...(entry.progressRows === undefined ? {} : { progressRows: entry.progressRows }),
      };
    },
  );

  app.get(
    '/api/v1/schools/:schoolId/imports/:importId/issues.csv',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      schema: {
        summary: 'The validation report’s errors and warnings as CSV, to work through in a spreadsheet',
        tags: ['imports'],
        params: ImportParams,
        response: { 200: Type.String(), ...errors },
      },
    },
    async (request, reply) => {
      const entry = await importStatus(services, request.params.schoolId, request.params.importId);
      const issues: ImportIssue[] = [...(entry.report?.errors ?? []), ...(entry.report?.warnings ?? [])];
      void reply.header('content-type', 'text/csv; charset=utf-8');
      void reply.header('content-disposition', `attachment; filename="import-${entry.id}-issues.csv"`);
      return csvDownload(
        ['severity', 'row', 'path', 'column', 'field', 'value', 'message', 'description'],
        issues.map((issue) => [
          issue.severity,
          issue.row,
          issue.path,
          issue.column,
          issue.field,
          issue.value,
          issue.message,
          describeIssue(issue),
        ]),
      );
    },
  );

  app.get(
    '/api/v1/schools/:schoolId/imports/:importId/preview',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      schema: {
        summary:
          'The first rows of the kept file as Haven reads them, to check the mapping before committing',
        tags: ['imports'],
        params: ImportParams,
        querystring: Type.Object({ rows: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }),
        response: { 200: PreviewResponse, ...errors },
      },
    },
    async (request) =>
      previewUpload(
        services,
        signedIn(request),
        request.params.schoolId,
        request.params.importId,
        request.query.rows,
        request.id,
      ),
  );

  app.put(
    '/api/v1/schools/:schoolId/imports/:importId/options',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      schema: {
        summary: 'Check the uploaded file again with a new layout, column mapping or subject names',
        tags: ['imports'],
        params: ImportParams,
        body: ImportOptionsSchema,
        response: { 200: StagedResponse, ...errors },
      },
    },
    async (request) =>
      revalidateUpload(
        services,
        signedIn(request),
        request.params.schoolId,
        request.params.importId,
        request.body,
        request.id,
      ),
  );

  app.post(
    '/api/v1/schools/:schoolId/imports/:importId/commit',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      schema: {
        summary: 'Write a validated upload (all or nothing); poll the import for progress',
        tags: ['imports'],
        params: ImportParams,
        response: { 202: CommitResponse, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await commitUpload(
            services,
            signedIn(request),
            request.params.schoolId,
            request.params.importId,
            request.id,
          ),
        ),
  );

  app.delete(
    '/api/v1/schools/:schoolId/imports/:importId',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      schema: {
        summary: 'Discard an upload that will not be committed (the kept file is destroyed)',
        tags: ['imports'],
        params: ImportParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await discardUpload(
        services,
        signedIn(request),
        request.params.schoolId,
        request.params.importId,
        request.id,
      );
      return reply.status(204).send(null);
    },
  );
};
