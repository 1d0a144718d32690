import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import { todayInEngland } from '../../platform/calendar/working-days.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { runImport, type WrittenPupils } from '../imports/imports.service.ts';
import { bufferSource, inspectSource, type ImportSource } from '../imports/source.ts';
import { markLeavers } from '../pupils/leavers.service.ts';
import { omittedFields } from './categories.ts';
import * as repository from './connectors.repository.ts';
import type { ConnectorRow } from './connectors.repository.ts';
import type { SyncError, SyncTrigger } from './connectors.tables.ts';
import { newestExport } from './drop-folder.ts';
import { alertSyncProblem } from './connectors-mail.ts';
import { pullOneRoster, PullError } from './oneroster-pull.ts';
import { SECRET_FIELD } from './connectors.service.ts';

// One sync: get the export (the drop folder's newest file, an upload, or a OneRoster pull), send it
// through the import pipeline (every row checked; committed whole or not at all; only differences
// written), and in the same transaction mark the connector's pupils that a full extract no longer lists
// as leavers. The attempt is recorded with its counts and errors; a refused or failed one alerts the
// people who manage the connector.

// A full extract missing more than this share of the pupils it synced before is taken to be broken (a
// truncated export), not a mass exodus: refused, and nobody is marked as a leaver.
const MAX_LEAVING_SHARE = 0.5;
// A weekly full pull catches what deltas cannot (pupils removed without a tobedeleted record).
const FULL_PULL_EVERY_MS = 7 * 24 * 3_600_000;
const MAX_ERRORS_KEPT = 200;

export interface SyncRequest {
  trigger: SyncTrigger;
  actor: Actor;
  requestId?: string | undefined;
  /** An upload from the on-premise agent, synced instead of the drop folder's newest file. */
  upload?: ImportSource | undefined;
}

export interface SyncResult {
  id: string | null;
  status: 'succeeded' | 'unchanged' | 'refused' | 'failed';
  mode: 'full' | 'delta';
  counts: Record<string, number>;
  errors: SyncError[];
  message: string | null;
}

class TooManyLeavers extends Error {}

interface Fetched {
  source: ImportSource | undefined;
  mode: 'full' | 'delta';
  pulledAt?: Date;
}

async function fetchExport(
  services: Services,
  connector: ConnectorRow,
  request: SyncRequest,
  lastFull: Date | undefined,
): Promise<Fetched> {
  if (request.upload !== undefined) {
    return { source: request.upload, mode: 'full' };
  }
  if (connector.kind === 'drop_folder') {
    return { source: await newestExport(services.connectorDir, connector.school_id), mode: 'full' };
  }
  const secret = await services.db.withSchool(connector.school_id, (trx) =>
    new SchoolVault(services.keyring, trx, connector.school_id).decrypt(
      { ...SECRET_FIELD, rowId: connector.id },
      connector.oneroster_client_secret ?? Buffer.alloc(0),
    ),
  );
  const full =
    request.trigger === 'manual' ||
    connector.delta_since === null ||
    lastFull === undefined ||
    Date.now() - lastFull.getTime() > FULL_PULL_EVERY_MS;
  const pulled = await pullOneRoster(
    {
      baseUrl: connector.oneroster_base_url ?? '',
      tokenUrl: connector.oneroster_token_url ?? '',
      clientId: connector.oneroster_client_id ?? '',
      clientSecret: secret,
      allowPrivate: services.connectorPrivateHosts,
    },
    full ? undefined : (connector.delta_since ?? undefined),
  );
  return {
    source: bufferSource('oneroster.zip', pulled.zip),
    mode: full ? 'full' : 'delta',
    pulledAt: pulled.startedAt,
  };
}

/** Inside the commit: remember the pupils synced, and mark those a full extract left out as leavers. */
function leaversStep(connector: ConnectorRow, mode: 'full' | 'delta', changedBy: string) {
  return async (trx: Transaction<DB>, written: WrittenPupils): Promise<Record<string, number>> => {
    const schoolId = connector.school_id;
    const before = await repository.connectorPupilIds(trx, schoolId, connector.id);
    await repository.addConnectorPupils(trx, schoolId, connector.id, written.seen);
    // A file that named no pupil (a results file, say) says nothing about who is on roll.
    if (mode !== 'full' || written.seen.size === 0) {
      return { pupils_left: 0 };
    }
    const missing = before.filter((id) => !written.seen.has(id) && !written.restricted.has(id));
    if (before.length > 0 && missing.length > before.length * MAX_LEAVING_SHARE) {
      throw new TooManyLeavers();
    }
    const left = await markLeavers(
      { trx, schoolId, importId: written.importId, changedBy },
      missing,
      todayInEngland(),
    );
    return { pupils_left: left.length };
  };
}

function errorsOf(report: {
  errors: Array<{ row?: number; column?: string; field?: string; path?: string; message: string }>;
}): SyncError[] {
  return report.errors.slice(0, MAX_ERRORS_KEPT).map((issue) => ({
    ...(issue.row === undefined ? {} : { row: issue.row }),
    ...(issue.column === undefined
      ? issue.path === undefined
        ? {}
        : { column: issue.path }
      : { column: issue.column }),
    ...(issue.field === undefined ? {} : { field: issue.field }),
    message: issue.message,
  }));
}

/** What the import wrote, in the words of the sync status. */
function syncCounts(
  written: Record<string, number>,
): Record<'added' | 'changed' | 'left' | 'unchanged', number> {
  return {
    added: written.pupils_created ?? 0,
    changed: written.pupils_updated ?? 0,
    left: written.pupils_left ?? 0,
    unchanged: written.pupils_unchanged ?? 0,
  };
}

async function applyExport(
  services: Services,
  connector: ConnectorRow,
  request: SyncRequest,
  fetched: Fetched & { source: ImportSource },
): Promise<Omit<SyncResult, 'id' | 'mode'> & { importId: string | null }> {
  try {
    const outcome = await runImport(services, {
      schoolId: connector.school_id,
      source: fetched.source,
      options: {
        pseudonymousUpn: false,
        noNames: false,
        omit: omittedFields(connector.categories),
      },
      actor: request.actor,
      dryRun: false,
      requestId: request.requestId,
      afterWrite: leaversStep(connector, fetched.mode, `${request.actor.type}:${request.actor.id}`),
    });
    const counts = syncCounts(outcome.written);
    if (outcome.status !== 'committed') {
      return {
        status: 'refused',
        counts: {},
        errors: errorsOf(outcome.report),
        message: 'The export has errors: nothing was changed.',
        importId: outcome.importId,
      };
    }
    const changed = counts.added + counts.changed + counts.left > 0;
    return {
      status: changed ? 'succeeded' : 'unchanged',
      counts,
      errors: [],
      message: null,
      importId: outcome.importId,
    };
  } catch (error) {
    if (error instanceof TooManyLeavers) {
      return {
        status: 'refused',
        counts: {},
        errors: [],
        message: `The export leaves out more than half of the pupils synced before; it looks incomplete, so nothing was changed.`,
        importId: null,
      };
    }
    throw error;
  }
}

/**
 * Runs one sync for the school's active connector and records it. A scheduled sync of a drop folder
 * whose newest file was already synced does nothing and records nothing (returns undefined).
 */
export async function runSync(
  services: Services,
  schoolId: string,
  request: SyncRequest,
): Promise<SyncResult | undefined> {
  const startedAt = new Date();
  const { connector, lastDigest, lastFull } = await services.db.withSchool(schoolId, async (trx) => {
    const found = await repository.connectorOf(trx, schoolId);
    if (found?.status !== 'active') {
      throw new AppError(409, 'no_connector', 'This school has no active connector.');
    }
    return {
      connector: found,
      lastDigest: await repository.lastDigest(trx, schoolId, found.id),
      lastFull: await repository.lastFullSync(trx, schoolId, found.id),
    };
  });
  let result: Omit<SyncResult, 'id'> & { importId: string | null; digest: Buffer | null };
  try {
    const fetched = await fetchExport(services, connector, request, lastFull);
    if (fetched.source === undefined) {
      if (request.trigger !== 'manual') {
        return undefined;
      }
      result = {
        status: 'unchanged',
        mode: 'full',
        counts: {},
        errors: [],
        message: 'No export has arrived in the drop folder yet.',
        importId: null,
        digest: null,
      };
    } else {
      const digest = (await inspectSource(fetched.source)).digest;
      if (
        connector.kind === 'drop_folder' &&
        request.trigger === 'schedule' &&
        lastDigest?.equals(digest) === true
      ) {
        return undefined;
      }
      const applied = await applyExport(services, connector, request, { ...fetched, source: fetched.source });
      result = { ...applied, mode: fetched.mode, digest };
      if (applied.status !== 'refused' && fetched.pulledAt !== undefined) {
        const pulledAt = fetched.pulledAt;
        await services.db.withSchool(schoolId, (trx) =>
          repository.updateConnector(trx, schoolId, connector.id, { delta_since: pulledAt }),
        );
      }
    }
  } catch (error) {
    // A provider's refusal is the school's to fix; anything else is recorded, alerted and rethrown
    // (logged by the caller). Either way nothing was changed: the import rolled back.
    const known = error instanceof PullError;
    const message = known ? error.message : 'The sync could not run; nothing was changed.';
    result = {
      status: 'failed',
      mode: 'full',
      counts: {},
      errors: [],
      message,
      importId: null,
      digest: null,
    };
    if (!known) {
      await record(services, connector, request, startedAt, result);
      await alertSyncProblem(services, schoolId, result.status, message);
      throw error;
    }
  }
  const id = await record(services, connector, request, startedAt, result);
  if (result.status === 'refused' || result.status === 'failed') {
    await alertSyncProblem(services, schoolId, result.status, result.message ?? '');
  }
  return {
    id,
    status: result.status,
    mode: result.mode,
    counts: result.counts,
    errors: result.errors,
    message: result.message,
  };
}

async function record(
  services: Services,
  connector: ConnectorRow,
  request: SyncRequest,
  startedAt: Date,
  result: Omit<SyncResult, 'id'> & { importId: string | null; digest: Buffer | null },
): Promise<string> {
  return services.db.withSchool(connector.school_id, async (trx) => {
    const id = await repository.insertSync(trx, connector.school_id, {
      connectorId: connector.id,
      trigger: request.trigger,
      mode: result.mode,
      status: result.status,
      importId: result.importId,
      fileDigest: result.digest,
      counts: result.counts,
      errors: result.errors,
      message: result.message,
      startedAt,
    });
    await recordAudit(trx, {
      orgId: connector.school_id,
      actor: request.actor,
      action: 'connectors.synced',
      target: `connector_sync:${id}`,
      requestId: request.requestId,
      outcome: result.status === 'failed' ? 'failure' : 'success',
      details: {
        status: result.status,
        mode: result.mode,
        ...Object.fromEntries(Object.entries(result.counts).map(([k, v]) => [k, String(v)])),
      },
    });
    return id;
  });
}
