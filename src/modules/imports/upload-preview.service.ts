import { Check } from 'typebox/value';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { subjectResolver } from '../curriculum/curriculum.service.ts';
import type { SignedIn } from '../organisations/identity.ts';
import type { ImportOptions } from './imports.service.ts';
import { ImportOptionsSchema } from './imports.schema.ts';
import { parseFile, type ParsedRow } from './parse.ts';
import { FileShapeError } from './readers/rows.ts';
import { bufferSource, inspectSource } from './source.ts';
import { actorOf, loadUpload, sourceName } from './staged-imports.service.ts';

export type PreviewValue = string | number | boolean | null;

/** A parsed record as flat field → value pairs (the wizard's preview table). */
function flatten(row: ParsedRow): Record<string, PreviewValue> | undefined {
  if (row.record === undefined) {
    return undefined;
  }
  if (row.kind === 'result') {
    const { key, subject, assessmentPoint, facet, grade, className } = row.record;
    return { ...key, subject, assessment_point: assessmentPoint, facet, grade, class: className ?? null };
  }
  const { identity, attributes, priorAttainment, classes, groups } = row.record;
  return {
    ...identity,
    ...attributes,
    ...priorAttainment,
    ...(classes === undefined ? {} : { class: classes.join('; ') }),
    ...(groups === undefined ? {} : { groups: groups.join('; ') }),
  };
}

/**
 * The first rows of a kept upload as Haven will read them, for the person importing it to check the
 * mapping before committing. It shows the file's own contents (names included) to someone who holds
 * the file, and the read is audited.
 */
export async function previewUpload(
  services: Services,
  who: SignedIn,
  schoolId: string,
  importId: string,
  limit: number,
  requestId: string,
): Promise<{
  template: string;
  format: string;
  rows: Array<{ row: number; values: Record<string, PreviewValue> }>;
}> {
  return services.db.withSchool(schoolId, async (trx) => {
    const upload = await loadUpload(services, trx, schoolId, importId);
    if (!Check(ImportOptionsSchema, upload.options)) {
      throw new Error('stored import options do not match their schema');
    }
    const options: ImportOptions = upload.options;
    const source = bufferSource(sourceName(upload.fileKind), upload.content);
    let parsed;
    try {
      parsed = await parseFile(
        source,
        await inspectSource(source),
        options,
        await subjectResolver(trx, schoolId, options.subjects ?? {}),
      );
    } catch (error) {
      if (error instanceof FileShapeError) {
        throw new AppError(409, 'unreadable_file', error.message);
      }
      throw error;
    }
    const rows: Array<{ row: number; values: Record<string, PreviewValue> }> = [];
    for await (const row of parsed.rows) {
      const values = flatten(row);
      if (values !== undefined) {
        rows.push({ row: row.row, values });
      }
      if (rows.length >= limit) {
        break;
      }
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: actorOf(who),
      action: 'imports.previewed',
      target: `import:${importId}`,
      requestId,
      details: { rows: String(rows.length) },
    });
    return { template: parsed.template, format: parsed.format, rows };
  });
}
