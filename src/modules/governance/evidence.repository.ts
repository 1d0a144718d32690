import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';

// What the compliance evidence report reads besides the category counts: key versions, requests'
// dates, retention certificates (school context), and retention runs and staff 2FA (platform context).

type Trx = Transaction<DB>;

export async function schoolKeyVersions(trx: Trx, schoolId: string) {
  return trx
    .selectFrom('school_keys')
    .select(['purpose', 'version', 'state', 'kek_id', 'created_at'])
    .where('school_id', '=', schoolId)
    .orderBy('purpose')
    .orderBy('version', 'desc')
    .execute();
}

export async function pupilKeyCount(trx: Trx, schoolId: string): Promise<number> {
  const row = await trx
    .selectFrom('subject_keys')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('school_id', '=', schoolId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Each request's kind, status and dates: no requester, no description. */
export async function requestDates(trx: Trx, schoolId: string) {
  return trx
    .selectFrom('privacy_requests')
    .select(['kind', 'status', 'received_on', 'due_on', 'closed_at'])
    .where('school_id', '=', schoolId)
    .execute();
}

export async function retentionCertificates(trx: Trx, schoolId: string, limit: number) {
  const [rows, total] = await Promise.all([
    trx
      .selectFrom('retention_certificates')
      .select(['id', 'rule', 'created_at'])
      .where('school_id', '=', schoolId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute(),
    trx
      .selectFrom('retention_certificates')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('school_id', '=', schoolId)
      .executeTakeFirst(),
  ]);
  return { rows, total: Number(total?.count ?? 0) };
}

/** The latest runs of the retention job (platform context: job_runs is the platform's). */
export async function retentionRuns(platform: Trx, limit: number) {
  return platform
    .selectFrom('job_runs')
    .select(['status', 'started_at', 'finished_at'])
    .where('name', '=', 'retention')
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Per organisation: active staff holding a role there, and how many have two-factor on. Runs in the
 * platform tenant, where staff identities live (withIdentity).
 */
export async function twoFactorByOrganisation(identity: Trx) {
  const result = await sql<{
    org_id: string;
    staff: string | number | bigint;
    with_totp: string | number | bigint;
  }>`
    select m.org_id,
           count(distinct m.user_id) as staff,
           count(distinct m.user_id) filter (where u.totp_enabled_at is not null) as with_totp
    from memberships m
    join users u on u.id = m.user_id and u.status = 'active'
    group by m.org_id
  `.execute(identity);
  return result.rows.map((row) => ({
    orgId: row.org_id,
    staff: Number(row.staff),
    withTwoFactor: Number(row.with_totp),
  }));
}

/** Support grants per school: how many, and how many are live now (platform tenant, withIdentity). */
export async function supportGrantCounts(identity: Trx) {
  const result = await sql<{
    org_id: string;
    total: string | number | bigint;
    live: string | number | bigint;
  }>`
    select org_id,
           count(*) as total,
           count(*) filter (where ended_at is null and starts_at <= now() and expires_at > now()) as live
    from support_grants
    group by org_id
  `.execute(identity);
  return new Map(
    result.rows.map((row) => [row.org_id, { total: Number(row.total), live: Number(row.live) }]),
  );
}
