// The database schema as Kysely sees it: every module's tables, composed in one place (like app.ts
// composes routes). Repositories take `Transaction<DB>`.
import type { AppTables } from './modules/apps/apps.tables.ts';
import type { SupportTables } from './modules/governance/support-access.tables.ts';
import type { TermsTables } from './modules/governance/terms.tables.ts';
import type { ConnectorTables } from './modules/connectors/connectors.tables.ts';
import type { CurriculumTables } from './modules/curriculum/curriculum.tables.ts';
import type { BreachTables } from './modules/governance/breaches.tables.ts';
import type { ImportTables } from './modules/imports/imports.tables.ts';
import type { OrganisationTables } from './modules/organisations/organisations.tables.ts';
import type { MarketingTables } from './modules/privacy/marketing.tables.ts';
import type { PrivacyTables } from './modules/privacy/requests.tables.ts';
import type { PepTables } from './modules/pep/pep.tables.ts';
import type { PupilTables } from './modules/pupils/pupils.tables.ts';
import type { BackupTables } from './modules/retention/backups.tables.ts';
import type { RetentionTables } from './modules/retention/retention.tables.ts';
import type { AuditTables } from './platform/audit/audit.tables.ts';
import type { KeyTables } from './platform/crypto/keys.tables.ts';
import type { JobTables } from './platform/jobs/jobs.tables.ts';

export interface DB
  extends
    OrganisationTables,
    KeyTables,
    AuditTables,
    PupilTables,
    CurriculumTables,
    ImportTables,
    MarketingTables,
    AppTables,
    PrivacyTables,
    RetentionTables,
    SupportTables,
    TermsTables,
    JobTables,
    BreachTables,
    BackupTables,
    PepTables,
    ConnectorTables {}
