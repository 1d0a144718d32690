import { recordAudit } from '../../platform/audit/audit-log.ts';
import { badRequest } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { TEMPLATE_FIELDS, type Template } from './columns.ts';
import * as imports from './imports.repository.ts';

// A school's saved column mappings for its own file layouts ("Legal Surname" → surname).

const actorOf = (who: SignedIn) => ({ type: 'user' as const, id: who.userId });

export async function listMappings(
  services: Services,
  schoolId: string,
): Promise<
  Array<{ name: string; template: string; columns: Record<string, string | null>; createdAt: string }>
> {
  const rows = await services.db.withSchool(schoolId, (trx) => imports.columnMappings(trx, schoolId));
  return rows.map((row) => ({
    name: row.name,
    template: row.template,
    columns: mappingColumns(row.columns),
    createdAt: row.createdAt.toISOString(),
  }));
}

function mappingColumns(value: unknown): Record<string, string | null> {
  const columns: Record<string, string | null> = {};
  if (typeof value === 'object' && value !== null) {
    for (const [header, field] of Object.entries(value)) {
      if (typeof field === 'string' || field === null) {
        columns[header] = field;
      }
    }
  }
  return columns;
}

export async function saveMapping(
  services: Services,
  who: SignedIn,
  schoolId: string,
  name: string,
  mapping: { template: Template; columns: Record<string, string | null> },
  requestId: string,
): Promise<void> {
  const fields = new Set(TEMPLATE_FIELDS[mapping.template].map((definition) => definition.field));
  const wrong = Object.entries(mapping.columns).filter(([, field]) => field !== null && !fields.has(field));
  if (wrong.length > 0) {
    throw badRequest(
      'The mapping names fields this layout does not have.',
      wrong.map(([header, field]) => ({
        field: `columns.${header}`,
        message: `${String(field)} is not a ${mapping.template} field`,
      })),
    );
  }
  await services.db.withSchool(schoolId, async (trx) => {
    await imports.saveColumnMapping(trx, schoolId, { name, ...mapping });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: actorOf(who),
      action: 'imports.mapping_saved',
      target: `mapping:${name}`,
      requestId,
    });
  });
}

export async function deleteMapping(
  services: Services,
  who: SignedIn,
  schoolId: string,
  name: string,
  requestId: string,
): Promise<boolean> {
  return services.db.withSchool(schoolId, async (trx) => {
    const deleted = await imports.deleteColumnMapping(trx, schoolId, name);
    if (deleted) {
      await recordAudit(trx, {
        orgId: schoolId,
        actor: actorOf(who),
        action: 'imports.mapping_deleted',
        target: `mapping:${name}`,
        requestId,
      });
    }
    return deleted;
  });
}
