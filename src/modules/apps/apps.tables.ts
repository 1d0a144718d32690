import type { ColumnType, Generated } from 'kysely';

/** Someone asking to build apps; the platform operator decides. */
export interface DeveloperApplicationsTable {
  school_id: Generated<string>;
  id: Generated<string>;
  email: Buffer;
  organisation: string;
  reason: string;
  status: Generated<'pending' | 'approved' | 'refused'>;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Generated<Date>;
}

/** An app in the registry; its client secret is kept as a SHA-256 digest only. */
export interface AppsTable {
  school_id: Generated<string>;
  id: Generated<string>;
  client_id: string;
  client_secret_hash: string;
  developer_id: string;
  name: string;
  purpose: string;
  privacy_notice_url: string;
  redirect_uris: string[];
  status: Generated<'active' | 'disabled'>;
  terms_version: string;
  terms_accepted_at: Date;
  secret_rotated_at: Generated<Date>;
  created_at: Generated<Date>;
}

export interface AppScopesTable {
  school_id: Generated<string>;
  app_id: string;
  scope: string;
  required: boolean;
  reason: string;
}

/** A school's approval of an app: exactly which scopes, by whom, when; and its end. */
export interface AppAuthorisationsTable {
  school_id: string;
  id: Generated<string>;
  app_id: string;
  scopes: string[];
  grant_id: string;
  status: Generated<'active' | 'revoked'>;
  approved_by: string;
  approved_at: Generated<Date>;
  revoked_by: string | null;
  revoked_at: Date | null;
  last_access_at: Date | null;
  request_count: ColumnType<string, never, string>;
}

/** oidc-provider's stored artefacts (codes, tokens, grants, interactions, sessions). */
export interface OauthArtifactsTable {
  school_id: Generated<string>;
  model: string;
  id: string;
  payload: ColumnType<unknown, string, string>;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
}

export interface AppTables {
  developer_applications: DeveloperApplicationsTable;
  apps: AppsTable;
  app_scopes: AppScopesTable;
  app_authorisations: AppAuthorisationsTable;
  oauth_artifacts: OauthArtifactsTable;
}
