import { recordAudit } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { checkAndCommit, validateFile, type ImportOptions } from './imports.service.ts';
import { ImportOptionsSchema } from './imports.schema.ts';
import { Check } from 'typebox/value';
import * as imports from './imports.repository.ts';
import type { ImportReport } from './report.ts';
import { bufferSource } from './source.ts';

// The API's import in steps: upload (validated at once), change the mapping and validate again, then
// commit in the background with progress. The file waits encrypted under its own key, and is destroyed
// once committed, discarded or expired.

export const UPLOAD_HOURS = 24;
type FileKind = 'csv' | 'xlsx' | 'xml' | 'zip';

const KINDS: Array<[RegExp, FileKind]> = [
  [/\.(csv|txt|tsv)$/i, 'csv'],
  [/\.xlsx$/i, 'xlsx'],
  [/\.xml$/i, 'xml'],
  [/\.zip$/i, 'zip'],
];

/** Rows written so far by commits running in this process, by import id. */
const progress = new Map<string, number>();

export interface StagedOutcome {
  importId: string;
  status: 'validated' | 'refused';
  report: ImportReport;
}

function fileKind(name: string): FileKind {
  const kind = KINDS.find(([pattern]) => pattern.test(name))?.[1];
  if (kind === undefined) {
    throw new AppError(400, 'unsupported_file', 'Upload a .csv, .xlsx, CTF .xml or OneRoster .zip file.', [
      { field: 'file', message: 'is not a kind of file Haven imports' },
    ]);
  }
  return kind;
}

export const actorOf = (who: SignedIn) => ({ type: 'user' as const, id: who.userId });
const location = (importId: string) => ({ table: 'import_uploads', column: 'content', rowId: importId });
export const sourceName = (kind: FileKind) => `upload.${kind}`;

/** Validates an uploaded file and keeps it (encrypted) for the commit step. */
export async function stageUpload(
  services: Services,
  who: SignedIn,
  schoolId: string,
  upload: { name: string; content: Buffer; options: ImportOptions },
  requestId: string,
): Promise<StagedOutcome> {
  const kind = fileKind(upload.name);
  const { facts, report, errorCount } = await validateFile(services, {
    schoolId,
    source: bufferSource(sourceName(kind), upload.content),
    options: upload.options,
  });
  const status = errorCount > 0 ? 'refused' : 'validated';
  const importId = await services.db.withSchool(schoolId, async (trx) => {
    await sweepExpired(services, trx, schoolId);
    const id = await imports.insertImport(trx, {
      schoolId,
      format: report.format,
      fileDigest: facts.digest,
      fileSize: upload.content.length,
      status,
      counts: report.counts,
      report,
      createdBy: `user:${who.userId}`,
    });
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    await imports.insertUpload(trx, {
      schoolId,
      importId: id,
      fileKind: kind,
      content: await vault.encrypt(id, location(id), upload.content),
      options: upload.options,
      expiresAt: new Date(Date.now() + UPLOAD_HOURS * 3_600_000),
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: actorOf(who),
      action: 'imports.uploaded',
      target: `import:${id}`,
      requestId,
      details: { status, errors: String(errorCount) },
    });
    return id;
  });
  return { importId, status, report };
}

async function sweepExpired(
  services: Services,
  trx: Parameters<typeof imports.findUpload>[0],
  schoolId: string,
) {
  const vault = new SchoolVault(services.keyring, trx, schoolId);
  for (const id of await imports.expiredUploads(trx, schoolId, new Date())) {
    await imports.deleteUpload(trx, schoolId, id);
    await vault.shred(id);
    await imports.moveStatus(trx, schoolId, id, ['validated', 'refused', 'failed'], 'discarded');
  }
}

export async function loadUpload(
  services: Services,
  trx: Parameters<typeof imports.findUpload>[0],
  schoolId: string,
  importId: string,
) {
  const upload = await imports.findUpload(trx, schoolId, importId);
  if (upload === undefined || upload.expiresAt < new Date()) {
    throw new AppError(
      409,
      'upload_gone',
      'The uploaded file is no longer kept (it was committed, discarded, or left for more than a day). Upload it again.',
    );
  }
  const content = await new SchoolVault(services.keyring, trx, schoolId).decryptBytes(
    location(importId),
    upload.content,
  );
  return { ...upload, content };
}

/** Validates the kept file again with a new mapping or options (the wizard's "fix and re-check"). */
export async function revalidateUpload(
  services: Services,
  who: SignedIn,
  schoolId: string,
  importId: string,
  options: ImportOptions,
  requestId: string,
): Promise<StagedOutcome> {
  const upload = await services.db.withSchool(schoolId, async (trx) => {
    const entry = await imports.findImport(trx, schoolId, importId);
    if (entry === undefined) {
      throw notFound('That import');
    }
    if (entry.status !== 'validated' && entry.status !== 'refused' && entry.status !== 'failed') {
      throw new AppError(
        409,
        'import_not_open',
        `This import is ${entry.status}; it can no longer be changed.`,
      );
    }
    return loadUpload(services, trx, schoolId, importId);
  });
  const { report, errorCount } = await validateFile(services, {
    schoolId,
    source: bufferSource(sourceName(upload.fileKind), upload.content),
    options,
  });
  const status = errorCount > 0 ? 'refused' : 'validated';
  await services.db.withSchool(schoolId, async (trx) => {
    await imports.updateValidation(trx, schoolId, importId, {
      format: report.format,
      status,
      counts: report.counts,
      report,
    });
    await imports.updateUploadOptions(trx, schoolId, importId, options);
    await recordAudit(trx, {
      orgId: schoolId,
      actor: actorOf(who),
      action: 'imports.revalidated',
      target: `import:${importId}`,
      requestId,
      details: { status, errors: String(errorCount) },
    });
  });
  return { importId, status, report };
}

/**
 * Starts writing a validated upload and returns at once; `importStatus` reports progress. Only one
 * commit of an import can start (the status moves to 'committing' atomically).
 */
export async function commitUpload(
  services: Services,
  who: SignedIn,
  schoolId: string,
  importId: string,
  requestId: string,
): Promise<{ importId: string; status: 'committing' }> {
  const upload = await services.db.withSchool(schoolId, async (trx) => {
    const entry = await imports.findImport(trx, schoolId, importId);
    if (entry === undefined) {
      throw notFound('That import');
    }
    const kept = await loadUpload(services, trx, schoolId, importId);
    if (!(await imports.moveStatus(trx, schoolId, importId, ['validated', 'failed'], 'committing'))) {
      throw new AppError(
        409,
        'import_not_ready',
        entry.status === 'refused'
          ? 'This file has errors; fix them and check it again before committing.'
          : `This import is ${entry.status}; it cannot be committed now.`,
      );
    }
    return { ...kept, report: entry.report };
  });
  progress.set(importId, 0);
  services.background.run('imports.commit', async () => {
    const source = bufferSource(sourceName(upload.fileKind), upload.content);
    if (!Check(ImportOptionsSchema, upload.options)) {
      throw new Error('stored import options do not match their schema');
    }
    const options: ImportOptions = upload.options;
    try {
      const attempt = await checkAndCommit(
        services,
        {
          schoolId,
          source,
          options,
          actor: actorOf(who),
          dryRun: false,
          requestId,
          onProgress: ({ phase, rows }) => {
            if (phase === 'writing') {
              progress.set(importId, rows);
            }
          },
        },
        importId,
      );
      if (attempt.status === 'refused') {
        // The school's data changed since the check (e.g. a pupil was removed): report it afresh.
        const { report } = attempt;
        await services.db.withSchool(schoolId, (trx) =>
          imports.updateValidation(trx, schoolId, importId, {
            format: report.format,
            status: 'refused',
            counts: report.counts,
            report,
          }),
        );
        return;
      }
      await services.db.withSchool(schoolId, async (trx) => {
        await imports.deleteUpload(trx, schoolId, importId);
        await new SchoolVault(services.keyring, trx, schoolId).shred(importId);
      });
    } catch (error) {
      await services.db.withSchool(schoolId, (trx) =>
        imports.moveStatus(trx, schoolId, importId, ['committing'], 'failed'),
      );
      throw error;
    } finally {
      progress.delete(importId);
    }
  });
  return { importId, status: 'committing' };
}

/** Drops a kept upload that will not be committed; its key is destroyed with it. */
export async function discardUpload(
  services: Services,
  who: SignedIn,
  schoolId: string,
  importId: string,
  requestId: string,
): Promise<void> {
  await services.db.withSchool(schoolId, async (trx) => {
    if (
      !(await imports.moveStatus(trx, schoolId, importId, ['validated', 'refused', 'failed'], 'discarded'))
    ) {
      throw notFound('An open import with that id');
    }
    await imports.deleteUpload(trx, schoolId, importId);
    await new SchoolVault(services.keyring, trx, schoolId).shred(importId);
    await recordAudit(trx, {
      orgId: schoolId,
      actor: actorOf(who),
      action: 'imports.discarded',
      target: `import:${importId}`,
      requestId,
    });
  });
}

export interface ImportView extends imports.ImportRow {
  /** Rows written so far, while a commit runs in this process. */
  progressRows?: number;
}

export async function importStatus(
  services: Services,
  schoolId: string,
  importId: string,
): Promise<ImportView> {
  const entry = await services.db.withSchool(schoolId, (trx) => imports.findImport(trx, schoolId, importId));
  if (entry === undefined) {
    throw notFound('That import');
  }
  const rows = progress.get(importId);
  return rows === undefined || entry.status !== 'committing' ? entry : { ...entry, progressRows: rows };
}

export async function importHistory(services: Services, schoolId: string): Promise<imports.ImportRow[]> {
  return services.db.withSchool(schoolId, (trx) => imports.listImports(trx, schoolId, 100));
}

/** At start: imports a stopped process was committing never committed; they can be committed again. */
export async function resetInterruptedImports(services: Services): Promise<number> {
  return services.db.withPlatform('imports.reset_interrupted', (trx) => imports.resetInterrupted(trx));
}
