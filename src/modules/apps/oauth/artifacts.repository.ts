import { sql, type Transaction } from 'kysely';
import type { DB } from '../../../database.ts';

export interface ArtifactRow {
  payload: unknown;
  consumed_at: Date | null;
}

export async function upsertArtifact(
  trx: Transaction<DB>,
  row: {
    model: string;
    id: string;
    payload: string;
    grantId: string | null;
    uid: string | null;
    userCode: string | null;
    expiresAt: Date | null;
  },
): Promise<void> {
  await trx
    .insertInto('oauth_artifacts')
    .values({
      model: row.model,
      id: row.id,
      payload: row.payload,
      grant_id: row.grantId,
      uid: row.uid,
      user_code: row.userCode,
      expires_at: row.expiresAt,
    })
    .onConflict((conflict) =>
      conflict.columns(['model', 'id']).doUpdateSet({
        payload: row.payload,
        grant_id: row.grantId,
        uid: row.uid,
        user_code: row.userCode,
        expires_at: row.expiresAt,
      }),
    )
    .execute();
}

/** An artefact that has not expired (expired ones are as good as gone, and are swept later). */
export async function findArtifact(
  trx: Transaction<DB>,
  model: string,
  by: { id: string } | { uid: string } | { userCode: string },
): Promise<ArtifactRow | undefined> {
  let query = trx
    .selectFrom('oauth_artifacts')
    .select(['payload', 'consumed_at'])
    .where('model', '=', model)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]));
  if ('id' in by) {
    query = query.where('id', '=', by.id);
  } else if ('uid' in by) {
    query = query.where('uid', '=', by.uid);
  } else {
    query = query.where('user_code', '=', by.userCode);
  }
  return query.executeTakeFirst();
}

export async function consumeArtifact(trx: Transaction<DB>, model: string, id: string): Promise<void> {
  await trx
    .updateTable('oauth_artifacts')
    .set({ consumed_at: sql<Date>`now()` })
    .where('model', '=', model)
    .where('id', '=', id)
    .execute();
}

export async function destroyArtifact(trx: Transaction<DB>, model: string, id: string): Promise<void> {
  await trx.deleteFrom('oauth_artifacts').where('model', '=', model).where('id', '=', id).execute();
}

/** Every code and token of a grant, and the grant itself: revocation takes effect at once. */
export async function destroyGrant(trx: Transaction<DB>, grantId: string): Promise<number> {
  const byGrant = await trx.deleteFrom('oauth_artifacts').where('grant_id', '=', grantId).executeTakeFirst();
  const grant = await trx
    .deleteFrom('oauth_artifacts')
    .where('model', '=', 'Grant')
    .where('id', '=', grantId)
    .executeTakeFirst();
  return Number(byGrant.numDeletedRows) + Number(grant.numDeletedRows);
}

export async function sweepExpired(trx: Transaction<DB>): Promise<number> {
  const result = await trx
    .deleteFrom('oauth_artifacts')
    .where('expires_at', '<', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** What may have changed since an access token was found valid: whether it, its session and its app live on. */
export interface TokenLiveness {
  token: boolean;
  /** The session's payload when the token is bound to one (undefined when it is gone or not asked for). */
  session: unknown;
  appActive: boolean;
}

/**
 * One query for the per-request re-check of a known access token: the token is still stored and unexpired
 * (revoking it or its grant deletes it), its session likewise when the token expires with it, and its app
 * is still active (an operator may disable it).
 */
export async function tokenLiveness(
  trx: Transaction<DB>,
  check: { tokenId: string; sessionUid: string | undefined; clientId: string },
): Promise<TokenLiveness> {
  const unexpired = sql<boolean>`(a.expires_at is null or a.expires_at > now())`;
  const row = await trx
    .selectNoFrom((eb) => [
      eb
        .exists(
          eb
            .selectFrom('oauth_artifacts as a')
            .select(sql`1`.as('one'))
            .where('a.model', '=', 'AccessToken')
            .where('a.id', '=', check.tokenId)
            .where(unexpired),
        )
        .as('token'),
      check.sessionUid === undefined
        ? sql`null`.as('session')
        : eb
            .selectFrom('oauth_artifacts as a')
            .select('a.payload')
            .where('a.model', '=', 'Session')
            .where('a.uid', '=', check.sessionUid)
            .where(unexpired)
            .as('session'),
      eb
        .exists(
          eb
            .selectFrom('apps')
            .select(sql`1`.as('one'))
            .where('apps.client_id', '=', check.clientId)
            .where('apps.status', '=', 'active'),
        )
        .as('app_active'),
    ])
    .executeTakeFirstOrThrow();
  return { token: row.token === true, session: row.session ?? undefined, appActive: row.app_active === true };
}
