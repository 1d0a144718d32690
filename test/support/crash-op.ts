// A test-only entry point for test/crash-safety.test.ts: runs one operation, or reads the state the
// crash tests assert on, against a data directory (and DATABASE_URL when set) in its own process, so
// the test can SIGKILL it. Never loaded by the server or the CLI.
//
//   node test/support/crash-op.ts prepare-erasure SCHOOL UPN     an approved erasure request; prints it and the state
//   node test/support/crash-op.ts execute-erasure SCHOOL REQUEST USER
//   node test/support/crash-op.ts rotate SCHOOL BATCH            as `./haven keys rotate --school SCHOOL --batch-size BATCH`
//   node test/support/crash-op.ts retention SCHOOL               as `./haven retention run --school SCHOOL`
//   node test/support/crash-op.ts state SCHOOL [expire-job-leases]
//                                   counts, keys, certificates, decryption, audit (after letting the lease
//                                   of a killed job run run out, as three hours would)
//   node test/support/crash-op.ts split-import SCHOOL FILE       the deliberately NON-ATOMIC import (two
//                                                                transactions; waits between them) that the
//                                                                test uses to show its check bites
//   node test/support/crash-op.ts split-erasure SCHOOL PUPIL     the same for an erasure (row, then key)
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { runImport } from '../../src/modules/imports/imports.service.ts';
import { bufferSource } from '../../src/modules/imports/source.ts';
import { createUser } from '../../src/modules/organisations/users.service.ts';
import type { SignedIn } from '../../src/modules/organisations/identity.ts';
import { approveErasure, executeErasure, submitErasure } from '../../src/modules/privacy/erasure.service.ts';
import { deletePupil } from '../../src/modules/privacy/erasure.repository.ts';
import { createRequest, type RequestWork } from '../../src/modules/privacy/requests.service.ts';
import { commandLogger, configFrom, withServices } from '../../src/cli/context.ts';
import { retentionJob } from '../../src/modules/retention/retention.jobs.ts';
import { runRetention } from '../../src/modules/retention/retention.service.ts';
import { rotateDataKey } from '../../src/platform/crypto/rotation.ts';
import { runJob } from '../../src/platform/jobs/job-runner.ts';
import { verifyAudit } from '../../src/platform/audit/verify.ts';
import { todayInEngland } from '../../src/platform/calendar/working-days.ts';
import { SchoolVault } from '../../src/platform/crypto/vault.ts';
import type { Services } from '../../src/services.ts';

const PASSWORD = 'crash test password, not a secret';

/** What the crash tests compare before and after a kill. */
export interface CrashState {
  pupils: number;
  results: number;
  pupilIds: string[];
  subjectKeyIds: string[];
  /** data key versions and states, e.g. ["v1:retiring", "v2:active"] */
  dataKeys: string[];
  /** subject keys per data key version */
  subjectKeysByVersion: Record<string, number>;
  erasureCertificateSubjects: string[];
  retentionCertificateSubjects: string[];
  requests: Record<string, string>;
  /** pupils whose UPN, forename or surname did not decrypt */
  undecryptable: number;
  decrypted: number;
  auditProblems: string[];
}

function signedIn(userId: string, schoolId: string, role: 'dpo' | 'school_admin'): SignedIn {
  return {
    sessionId: 'crash-test',
    userId,
    twoFactor: false,
    actor: { userId, memberships: [{ orgId: schoolId, orgKind: 'school', role }] },
  };
}

async function prepareErasure(services: Services, schoolId: string, upn: string): Promise<void> {
  const pupilId = await services.db.withSchool(schoolId, (trx) =>
    new SchoolVault(services.keyring, trx, schoolId).lookup('upn', upn),
  );
  if (pupilId === undefined) {
    throw new Error(`no pupil with UPN ${upn}`);
  }
  const actor = { type: 'system' as const, id: 'crash-test' };
  const tag = `${process.pid}-${Date.now()}`;
  const admin = await createUser(
    services,
    {
      email: `crash-admin-${tag}@example.invalid`,
      role: 'school_admin',
      orgId: schoolId,
      password: PASSWORD,
    },
    actor,
  );
  const dpo = await createUser(
    services,
    { email: `crash-dpo-${tag}@example.invalid`, role: 'dpo', orgId: schoolId, password: PASSWORD },
    actor,
  );
  const adminWho = signedIn(admin.id, schoolId, 'school_admin');
  const { id: requestId } = await createRequest(
    services,
    adminWho,
    schoolId,
    {
      kind: 'erasure',
      subjectType: 'pupil',
      subjectId: pupilId,
      requester: { name: 'Crash Test Parent', contact: 'parent@example.invalid', relationship: 'parent' },
      receivedOn: todayInEngland(),
      identityStatus: 'verified',
    },
    'crash-test',
  );
  const work = (who: SignedIn): RequestWork => ({
    services,
    who,
    schoolId,
    requestId,
    httpRequestId: 'crash-test',
  });
  await submitErasure(work(adminWho), 'crash test');
  await approveErasure(work(signedIn(dpo.id, schoolId, 'dpo')), 'crash test');
  process.stdout.write(
    `${JSON.stringify({ requestId, pupilId, executor: admin.id, state: await state(services, schoolId) })}\n`,
  );
}

async function state(services: Services, schoolId: string): Promise<CrashState> {
  const audit = await verifyAudit(services.db, services.keyring.provider.auditPublicKeys());
  return services.db.withSchool(schoolId, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    const pupils = await trx
      .selectFrom('pupils')
      .select(['id', 'upn', 'forename', 'surname'])
      .where('school_id', '=', schoolId)
      .orderBy('id')
      .execute();
    let undecryptable = 0;
    let decrypted = 0;
    for (const pupil of pupils) {
      for (const column of ['upn', 'forename', 'surname'] as const) {
        const sealed = pupil[column];
        if (sealed === null) {
          continue;
        }
        try {
          await vault.decrypt({ table: 'pupils', column, rowId: pupil.id }, sealed);
          decrypted += 1;
        } catch {
          undecryptable += 1;
        }
      }
    }
    const count = async (table: 'results') =>
      Number(
        (
          await trx
            .selectFrom(table)
            .select(sql<string>`count(*)`.as('n'))
            .where('school_id', '=', schoolId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const subjectKeys = await trx
      .selectFrom('subject_keys')
      .select(['subject_id', 'dek_version'])
      .where('school_id', '=', schoolId)
      .orderBy('subject_id')
      .execute();
    const byVersion: Record<string, number> = {};
    for (const key of subjectKeys) {
      byVersion[`v${key.dek_version}`] = (byVersion[`v${key.dek_version}`] ?? 0) + 1;
    }
    const dataKeys = await trx
      .selectFrom('school_keys')
      .select(['version', 'state'])
      .where('school_id', '=', schoolId)
      .where('purpose', '=', 'data')
      .orderBy('version')
      .execute();
    const erasures = await trx
      .selectFrom('erasure_certificates')
      .select('subject_id')
      .where('school_id', '=', schoolId)
      .execute();
    const retention = await trx
      .selectFrom('retention_certificates')
      .select('body')
      .where('school_id', '=', schoolId)
      .execute();
    const requests = await trx
      .selectFrom('privacy_requests')
      .select(['id', 'status'])
      .where('school_id', '=', schoolId)
      .execute();
    return {
      pupils: pupils.length,
      results: await count('results'),
      pupilIds: pupils.map((pupil) => pupil.id),
      subjectKeyIds: subjectKeys.map((key) => key.subject_id),
      dataKeys: dataKeys.map((key) => `v${key.version}:${key.state}`),
      subjectKeysByVersion: byVersion,
      erasureCertificateSubjects: erasures.map((row) => row.subject_id),
      retentionCertificateSubjects: retention.flatMap((row) => row.body.subjects),
      requests: Object.fromEntries(requests.map((row) => [row.id, row.status])),
      undecryptable,
      decrypted,
      auditProblems: audit.problems.map((problem) => `${problem.orgId}: ${problem.problem}`),
    };
  });
}

/** NOT how Haven imports: the file's rows committed in two transactions, to show the check catches it. */
async function splitImport(services: Services, schoolId: string, file: string): Promise<void> {
  const [header, ...rows] = (await readFile(file, 'utf8')).trimEnd().split('\n');
  const half = Math.ceil(rows.length / 2);
  for (const [index, part] of [rows.slice(0, half), rows.slice(half)].entries()) {
    const outcome = await runImport(services, {
      schoolId,
      source: bufferSource('pupils.csv', Buffer.from([header, ...part].join('\n'))),
      options: { pseudonymousUpn: false, noNames: false },
      actor: { type: 'system', id: 'crash-test' },
      dryRun: false,
    });
    if (outcome.status !== 'committed') {
      throw new Error(`split import refused: ${JSON.stringify(outcome.report.errors)}`);
    }
    if (index === 0) {
      process.stderr.write('first half committed\n');
      await new Promise((resolve) => setTimeout(resolve, 30_000));
    }
  }
}

/** NOT how Haven erases: the pupil's row deleted in one transaction, their key destroyed in another. */
async function splitErasure(services: Services, schoolId: string, pupilId: string): Promise<void> {
  await services.db.withSchool(schoolId, (trx) => deletePupil(trx, schoolId, pupilId));
  process.stderr.write('pupil row deleted\n');
  await new Promise((resolve) => setTimeout(resolve, 30_000));
  await services.db.withSchool(schoolId, (trx) =>
    new SchoolVault(services.keyring, trx, schoolId).shred(pupilId),
  );
}

async function main(argv: string[]): Promise<void> {
  const [command = '', ...args] = argv;
  const arg = (index: number): string => {
    const value = args[index];
    if (value === undefined) {
      throw new Error(`${command}: missing argument ${index + 1}`);
    }
    return value;
  };
  await withServices(configFrom({}), async (services) => {
    // The test times its kill from here: the database is open and the operation starts now.
    const started = performance.now();
    process.stderr.write('begin\n');
    const finished = () => process.stderr.write(`done in ${Math.round(performance.now() - started)} ms\n`);
    switch (command) {
      case 'prepare-erasure':
        return prepareErasure(services, arg(0), arg(1));
      case 'execute-erasure': {
        const who = signedIn(arg(2), arg(0), 'school_admin');
        const work = { services, who, schoolId: arg(0), requestId: arg(1), httpRequestId: 'crash-test' };
        const { certificateId } = await executeErasure(work);
        finished();
        process.stdout.write(`${certificateId}\n`);
        return;
      }
      case 'rotate': {
        // What `./haven keys rotate --school SCHOOL --batch-size N` does, with each batch reported.
        const result = await rotateDataKey(services.db, services.keyring, arg(0), {
          batchSize: Number(arg(1)),
          onProgress: (done, total) => process.stderr.write(`rewrapped ${done}/${total}\n`),
        });
        finished();
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return;
      }
      case 'retention': {
        // What `./haven retention run --school SCHOOL` does, with the start marked for the test.
        const config = configFrom({});
        const result = await runJob(services.db, commandLogger(config), {
          ...retentionJob(services),
          run: async () => ({
            ...(await runRetention(services, { dryRun: false, schoolId: arg(0) })).totals,
          }),
        });
        finished();
        process.stdout.write(`${JSON.stringify(result.ran ? result.outcome : null)}\n`);
        return;
      }
      case 'state':
        if (args[1] === 'expire-job-leases') {
          // What the passing of a killed run's lease time (job_runs.lease_until) would do.
          await services.db.withPlatform('crash test: expire job leases', (trx) =>
            trx
              .updateTable('job_runs')
              .set({ lease_until: new Date() })
              .where('status', '=', 'running')
              .execute(),
          );
        }
        process.stdout.write(`${JSON.stringify(await state(services, arg(0)))}\n`);
        return;
      case 'split-import':
        return splitImport(services, arg(0), arg(1));
      case 'split-erasure':
        return splitErasure(services, arg(0), arg(1));
      default:
        throw new Error(`unknown command ${command}`);
    }
  });
}

await main(process.argv.slice(2));
