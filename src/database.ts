// The database schema as Kysely sees it: every module's tables, composed in one place (like app.ts
// composes routes). Repositories take `Transaction<DB>`.
import type { OrganisationTables } from './modules/organisations/organisations.tables.ts';
import type { AuditTables } from './platform/audit/audit.tables.ts';
import type { KeyTables } from './platform/crypto/keys.tables.ts';

export interface DB extends OrganisationTables, KeyTables, AuditTables {}
