import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { SchoolVault } from '../../platform/crypto/vault.ts';
import { appsSubjectData } from '../apps/apps.subject-data.ts';
import { connectorsSubjectData } from '../connectors/connectors.subject-data.ts';
import { curriculumSubjectData } from '../curriculum/curriculum.subject-data.ts';
import { importsSubjectData } from '../imports/imports.subject-data.ts';
import { pupilsSubjectData } from '../pupils/pupils.subject-data.ts';
import { retentionSubjectData } from '../retention/retention.subject-data.ts';
import { requestsSubjectData } from './requests.subject-data.ts';

// Every module that stores personal data about a pupil says so here: which tables hold it, how to
// export it for an access request, and which of its records also concern other people (so an erasure
// lists them for redaction by hand rather than deleting them blindly). A test compares this with the
// database's tables, so a new table with pupil data cannot be forgotten.

/** A plain value a bundle can carry in JSON and CSV. */
export type Plain = string | number | boolean | null;
export type SubjectRecord = Record<string, Plain>;

export interface SubjectScope {
  trx: Transaction<DB>;
  vault: SchoolVault;
  schoolId: string;
  pupilId: string;
}

/** A record about the pupil that also concerns others, listed for manual redaction before an erasure. */
export interface SharedRecord {
  source: string;
  description: string;
  /** What happens to it if nobody acts (e.g. it expires on its own). */
  fate: string;
}

export interface SubjectDataSource {
  /** The module, as bundles and certificates name it. */
  module: string;
  /** Tables holding rows about the pupil (deleted with the pupil, by cascade, on erasure). */
  tables: readonly string[];
  /** Records about the pupil by section (e.g. `results`), for the access bundle. */
  export(scope: SubjectScope): Promise<Record<string, SubjectRecord[]>>;
  shared?(scope: SubjectScope): Promise<SharedRecord[]>;
}

export const SUBJECT_DATA_SOURCES: readonly SubjectDataSource[] = [
  pupilsSubjectData,
  curriculumSubjectData,
  importsSubjectData,
  appsSubjectData,
  requestsSubjectData,
  retentionSubjectData,
  connectorsSubjectData,
];

/**
 * Tables that hold no personal data about a pupil, or hold it only as a pseudonymous id kept for
 * accountability, each with the reason. Every table of the database is either here or claimed by a
 * source above.
 */
export const NOT_PUPIL_DATA: Readonly<Record<string, string>> = {
  schools: 'organisations, not people',
  school_settings: 'organisation settings',
  organisations: 'organisations, not people',
  users: 'staff accounts: staff are data subjects of their own (organisations/staff-data.service.ts)',
  memberships: 'staff roles',
  sessions: 'staff sign-in sessions',
  login_failures: 'keyed digests of sign-in addresses, kept minutes',
  recovery_codes: 'staff two-factor codes',
  account_links: 'staff password links',
  school_keys: 'keys; destroyed, never exported',
  subject_keys: 'the pupil’s key: destroyed on erasure (crypto-shredding), never exported',
  blind_indexes: 'keyed digests for lookups: deleted with the pupil’s key',
  erasure_ledger: 'pseudonymous ids of erased subjects, replayed after a restore',
  audit_events:
    'append-only evidence naming pupils by pseudonymous id only; disclosures to apps are exported by the apps source',
  audit_heads: 'audit chain heads',
  audit_checkpoints: 'signed audit checkpoints',
  grade_sets: 'reference data',
  grades: 'reference data',
  subjects: 'the school’s curriculum',
  subject_aliases: 'the school’s curriculum',
  assessment_points: 'the school’s calendar of assessments',
  classes: 'teaching groups',
  class_teachers: 'which staff teach which classes',
  pupil_groups: 'names of the school’s custom groups (membership is exported)',
  column_mappings: 'import settings',
  developer_applications: 'app developers’ applications',
  apps: 'the app registry',
  app_scopes: 'the app registry',
  app_authorisations: 'which apps a school approved',
  oauth_artifacts: 'OAuth tokens and grants (no pupil data)',
  erasure_certificates: 'evidence of erasures, pseudonymous ids and counts only',
  subject_removals: 'the deletions feed for apps: pseudonymous ids only',
  marketing_contacts: 'the company’s own marketing contacts (adults), not pupils: see marketing.service.ts',
  marketing_consents: 'consents of marketing contacts',
  marketing_unsubscribe_tokens: 'digests of marketing unsubscribe links',
  marketing_suppressions: 'keyed hashes of addresses never to contact again',
  retention_policies: 'a school’s own retention periods',
  retention_notices: 'when a school was warned of a deletion',
  retention_certificates: 'evidence of retention deletions, pseudonymous ids and counts only',
  support_grants: 'a school’s grants of support access to the operator’s engineers',
  terms_versions: 'the terms of service',
  terms_responses: 'which schools accepted the terms',
  breaches: 'the operator’s breach register: categories and counts of people, never a pupil’s record',
  breach_schools: 'which schools a breach affects and when each was told',
  breach_updates: 'phased updates to a breach, about the incident rather than a pupil',
  breach_notices: 'notices of a breach sent to the school, about the incident rather than a pupil',
  // A looked-after child's PEPs are the local authority's records (its virtual school is their
  // controller), kept in its own tenant under the child's own key: the virtual school exports and erases
  // them (pep/child-records.service.ts); a school's pupil rows never reference them.
  pep_children: 'a virtual school’s looked-after children: exported and erased by the virtual school',
  pep_documents: 'a virtual school’s PEPs: exported and erased with the child by the virtual school',
  pep_events: 'the history of a virtual school’s PEPs: exported and erased with the child',
  pep_reminders: 'which PEP reminders were sent: pseudonymous ids, deleted with the child',
  connectors: 'a school’s MIS connector settings (token digest, encrypted client secret)',
  connector_syncs: 'sync outcomes: counts, row and column numbers and messages, never values',
};
