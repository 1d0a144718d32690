import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Cron } from 'croner';
import { recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import { daysBetween, todayInEngland } from '../../platform/calendar/working-days.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError, badRequest } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { offboardingDueOn } from '../retention/leaving.service.ts';
import { withRequired, type CategoryId } from './categories.ts';
import * as repository from './connectors.repository.ts';
import type { ConnectorKind, ConnectorStatus, SyncError } from './connectors.tables.ts';
import { noticeDisconnected } from './connectors-mail.ts';
import { dropFolderOf, ensureDropFolder } from './drop-folder.ts';
import { writtenAsReserved } from './provider-address.ts';

// A school's MIS connector: set up (type, data categories, schedule), its token shown once, removed
// ("disconnect": syncs stop, the token dies, the deletion clock of the school_offboarding rule starts)
// and reconnected before the deadline (the clock stops). Every change is audited.

export const SECRET_FIELD = { table: 'connectors', column: 'oneroster_client_secret' } as const;
export const DEFAULT_SCHEDULE = '0 2 * * *';
const HISTORY = 20;

export interface ConnectorSetup {
  kind: ConnectorKind;
  categories: readonly string[];
  schedule?: string | undefined;
  oneroster?: { baseUrl: string; tokenUrl: string; clientId: string; clientSecret: string } | undefined;
}

export interface SyncView {
  id: string;
  trigger: string;
  mode: string;
  status: string;
  counts: Record<string, number>;
  errors: SyncError[];
  message: string | null;
  startedAt: string;
}

export interface ConnectorView {
  id: string;
  kind: ConnectorKind;
  status: ConnectorStatus;
  categories: CategoryId[];
  schedule: string;
  dropFolder: string | null;
  oneroster: { baseUrl: string; tokenUrl: string; clientId: string } | null;
  createdAt: string;
  disconnectedAt: string | null;
  deletionDueOn: string | null;
  syncs: SyncView[];
}

const digestOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
const newToken = (): string => `hvc_${randomBytes(32).toString('base64url')}`;

function checkSetup(setup: ConnectorSetup, allowPrivate: boolean): void {
  try {
    new Cron(setup.schedule ?? DEFAULT_SCHEDULE, { paused: true }).stop();
  } catch {
    throw badRequest('The schedule is not a valid cron pattern.', [
      { field: 'schedule', message: 'must be a cron pattern such as "0 2 * * *" (every night at 02:00)' },
    ]);
  }
  if (setup.kind === 'oneroster') {
    const settings = setup.oneroster;
    for (const field of ['baseUrl', 'tokenUrl'] as const) {
      if (settings === undefined || !URL.canParse(settings[field]) || !/^https?:/.test(settings[field])) {
        throw badRequest('The OneRoster connection needs its addresses.', [
          { field: `oneroster.${field}`, message: 'must be an http(s) address' },
        ]);
      }
      if (!allowPrivate && writtenAsReserved(settings[field])) {
        throw badRequest(
          'The OneRoster connection points at a private or local address: give the provider’s public address.',
          [
            {
              field: `oneroster.${field}`,
              message:
                'must be the provider’s public address; this Haven does not reach private or local networks (the operator can allow it with HAVEN_CONNECTOR_PRIVATE_HOSTS)',
            },
          ],
        );
      }
    }
  }
}

function viewOf(
  row: repository.ConnectorRow,
  syncs: Awaited<ReturnType<typeof repository.recentSyncs>>,
  connectorDir: string,
): ConnectorView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    categories: withRequired(row.categories),
    schedule: row.schedule,
    dropFolder: row.kind === 'drop_folder' ? dropFolderOf(connectorDir, row.school_id) : null,
    oneroster:
      row.kind === 'oneroster'
        ? {
            baseUrl: row.oneroster_base_url ?? '',
            tokenUrl: row.oneroster_token_url ?? '',
            clientId: row.oneroster_client_id ?? '',
          }
        : null,
    createdAt: row.created_at.toISOString(),
    disconnectedAt: row.disconnected_at?.toISOString() ?? null,
    deletionDueOn: row.deletion_due_on,
    syncs: syncs.map((sync) => ({
      id: sync.id,
      trigger: sync.trigger,
      mode: sync.mode,
      status: sync.status,
      counts: sync.counts,
      errors: sync.errors,
      message: sync.message,
      startedAt: sync.started_at.toISOString(),
    })),
  };
}

/** The school's connector with its recent syncs, newest first (undefined: none set up). */
export async function getConnector(services: Services, schoolId: string): Promise<ConnectorView | undefined> {
  return services.db.withSchool(schoolId, async (trx) => {
    const row = await repository.connectorOf(trx, schoolId);
    return row === undefined
      ? undefined
      : viewOf(row, await repository.recentSyncs(trx, schoolId, row.id, HISTORY), services.connectorDir);
  });
}

/** The connector just changed (it exists: the change was committed). */
async function currentConnector(services: Services, schoolId: string): Promise<ConnectorView> {
  const connector = await getConnector(services, schoolId);
  if (connector === undefined) {
    throw new Error('the connector just changed is missing');
  }
  return connector;
}

/** Sets up the school's connector; returns it with its token, which is never shown again. */
export async function setUpConnector(
  services: Services,
  schoolId: string,
  setup: ConnectorSetup,
  by: Actor,
  requestId?: string,
): Promise<{ connector: ConnectorView; token: string }> {
  checkSetup(setup, services.connectorPrivateHosts);
  const token = newToken();
  const id = randomUUID();
  await services.db.withSchool(schoolId, async (trx) => {
    const existing = await repository.connectorOf(trx, schoolId);
    if (existing !== undefined) {
      throw new AppError(
        409,
        'connector_exists',
        existing.status === 'active'
          ? 'This school already has a connector. Remove it first to set up another.'
          : 'The removed connector is waiting for its deletion day: reconnect it instead.',
      );
    }
    const secret = setup.oneroster?.clientSecret;
    await repository.saveConnector(trx, {
      school_id: schoolId,
      id,
      kind: setup.kind,
      categories: JSON.stringify(withRequired(setup.categories)),
      schedule: setup.schedule ?? DEFAULT_SCHEDULE,
      token_digest: digestOf(token),
      oneroster_base_url: setup.oneroster?.baseUrl ?? null,
      oneroster_token_url: setup.oneroster?.tokenUrl ?? null,
      oneroster_client_id: setup.oneroster?.clientId ?? null,
      oneroster_client_secret:
        secret === undefined
          ? null
          : await new SchoolVault(services.keyring, trx, schoolId).encrypt(
              id,
              { ...SECRET_FIELD, rowId: id },
              secret,
            ),
      status: 'active',
      created_by: by.id,
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: 'connectors.created',
      target: `connector:${id}`,
      requestId,
      details: { kind: setup.kind, categories: withRequired(setup.categories).join(',') },
    });
  });
  if (setup.kind === 'drop_folder') {
    await ensureDropFolder(services.connectorDir, schoolId);
  }
  return { connector: await currentConnector(services, schoolId), token };
}

/** Removes the connector: syncs stop, the token is revoked, and the deletion clock starts. */
export async function disconnect(
  services: Services,
  schoolId: string,
  by: Actor,
  requestId?: string,
): Promise<ConnectorView> {
  const dueOn = await services.db.withSchool(schoolId, async (trx) => {
    const row = await repository.connectorOf(trx, schoolId);
    if (row?.status !== 'active') {
      throw new AppError(409, 'no_connector', 'This school has no active connector to remove.');
    }
    const due = await offboardingDueOn(trx, schoolId, todayInEngland());
    await repository.updateConnector(trx, schoolId, row.id, {
      status: 'disconnected',
      token_digest: null,
      disconnected_at: new Date(),
      deletion_due_on: due,
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: 'connectors.disconnected',
      target: `connector:${row.id}`,
      requestId,
      details: { deletionDueOn: due },
    });
    return due;
  });
  await noticeDisconnected(services, schoolId, dueOn);
  return currentConnector(services, schoolId);
}

/** Reconnects a removed connector before its deletion day: the clock stops and a new token is issued. */
export async function reconnect(
  services: Services,
  schoolId: string,
  by: Actor,
  requestId?: string,
): Promise<{ connector: ConnectorView; token: string }> {
  const token = newToken();
  await services.db.withSchool(schoolId, async (trx) => {
    const row = await repository.connectorOf(trx, schoolId);
    if (row?.status !== 'disconnected') {
      throw new AppError(409, 'not_disconnected', 'There is no removed connector to reconnect.');
    }
    if (row.deletion_due_on !== null && daysBetween(todayInEngland(), row.deletion_due_on) <= 0) {
      throw new AppError(409, 'deadline_passed', 'The deletion day has passed: set up a new connector.');
    }
    await repository.updateConnector(trx, schoolId, row.id, {
      status: 'active',
      token_digest: digestOf(token),
      disconnected_at: null,
      deletion_due_on: null,
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: 'connectors.reconnected',
      target: `connector:${row.id}`,
      requestId,
      details: { deletionCancelled: row.deletion_due_on ?? '' },
    });
  });
  return { connector: await currentConnector(services, schoolId), token };
}

/** Whether the bearer token is this school's live connector token (compared in constant time). */
export async function connectorForToken(
  services: Services,
  schoolId: string,
  token: string,
): Promise<string | undefined> {
  const row = await services.db.withSchool(schoolId, (trx) => repository.connectorOf(trx, schoolId));
  if (row?.status !== 'active' || row.token_digest === null) {
    return undefined;
  }
  return timingSafeEqual(row.token_digest, digestOf(token)) ? row.id : undefined;
}
