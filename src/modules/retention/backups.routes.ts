import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { conflict, errorResponses } from '../../platform/http/errors.ts';
import { runJob } from '../../platform/jobs/job-runner.ts';
import type { Services } from '../../services.ts';
import { requirePlatformPermission, signedIn } from '../organisations/auth.hooks.ts';
import { backupOverview } from './backup-verify.service.ts';
import type { RestoreTestRow } from './backups.repository.ts';
import { backupJob } from './backups.jobs.ts';
import { BackupsResponse, BackupTakenResponse } from './backups.schema.ts';
import type { BackupTaken } from './backups.service.ts';

const errors = errorResponses(401, 403, 409);

function restoreTest(test: RestoreTestRow | undefined) {
  return test === undefined
    ? null
    : {
        fileName: test.fileName,
        testedAt: test.testedAt.toISOString(),
        outcome: test.outcome,
        tables: test.tables,
        error: test.error,
      };
}

/** The platform operator's view of backups, and a backup taken now (never any school's data). */
export const backupRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const operators = requirePlatformPermission(services, 'platform.operate');

  app.get(
    '/api/v1/platform/backups',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Recent backups, where they go, and the last restore tests',
        tags: ['platform'],
        response: { 200: BackupsResponse, ...errors },
      },
    },
    async () => {
      const overview = await backupOverview(services);
      return {
        directory: overview.directory,
        keep: overview.keep,
        schedule: overview.schedule ?? null,
        backups: overview.backups.map((backup) => ({
          ...backup,
          startedAt: backup.startedAt.toISOString(),
          finishedAt: backup.finishedAt.toISOString(),
          removedAt: backup.removedAt?.toISOString() ?? null,
        })),
        lastRestoreTest: restoreTest(overview.lastRestoreTest),
        lastSuccessfulRestoreTest: restoreTest(overview.lastSuccessfulRestoreTest),
      };
    },
  );

  app.post(
    '/api/v1/platform/backups',
    {
      config: { access: 'platform:platform.operate' },
      onRequest: operators,
      schema: {
        summary: 'Take a backup now (then restore-test it), as the schedule does',
        tags: ['platform'],
        response: { 201: BackupTakenResponse, ...errors },
      },
    },
    async (request, reply) => {
      let taken: BackupTaken | undefined;
      const job = backupJob(services, {
        trigger: 'operator',
        actor: { type: 'user', id: signedIn(request).userId },
        onTaken: (backup) => {
          taken = backup;
        },
      });
      const result = await runJob(services.db, request.log, job);
      if (!result.ran || taken === undefined) {
        throw conflict('A backup is being taken right now; wait for it to finish.');
      }
      return reply.status(201).send({
        id: taken.id,
        fileName: taken.fileName,
        bytes: taken.bytes,
        sha256: taken.sha256,
        removed: taken.removed,
      });
    },
  );
};
