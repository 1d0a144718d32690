import { createHash, randomBytes } from 'node:crypto';
import type { AdapterPayload } from 'oidc-provider';
import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { badRequest, notFound, type FieldError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { withIdentity, type SignedIn } from '../organisations/identity.ts';
import * as repository from './apps.repository.ts';
import { isScope, withImplied } from './scopes.ts';

/** The developer terms every app's developer accepts; a new version means accepting again. */
export const DEVELOPER_TERMS_VERSION = '2026-11';

export interface RequestedScope {
  scope: string;
  required: boolean;
  reason: string;
}

export interface NewApp {
  name: string;
  purpose: string;
  privacyNoticeUrl: string;
  redirectUris: string[];
  scopes: RequestedScope[];
  acceptTerms: boolean;
}

export interface RegisteredApp {
  id: string;
  clientId: string;
  name: string;
  purpose: string;
  privacyNoticeUrl: string;
  redirectUris: string[];
  status: string;
  scopes: RequestedScope[];
  termsVersion: string;
  termsAcceptedAt: string;
  secretRotatedAt: string;
  createdAt: string;
}

/** How much an app is used: counts only, never which schools or what data. */
export interface AppUsage {
  schools: number;
  requests: number;
  lastAccessAt: string | null;
}

/** Secrets are random 256-bit values: a plain SHA-256 is a sound way to keep only a check value. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const newSecret = () => `hs_${randomBytes(32).toString('base64url')}`;

/** https anywhere; plain http only on this machine (RFC 8252 loopback redirects, and development). */
function urlProblem(value: string, redirect: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a web address';
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return 'must start with https:// (http:// only for localhost)';
  }
  if (redirect && url.hash !== '') {
    return 'must not contain a #fragment';
  }
  return undefined;
}

function validateNewApp(input: NewApp): void {
  const fields: FieldError[] = [];
  if (input.name.trim() === '') {
    fields.push({ field: 'name', message: 'is required' });
  }
  if (input.purpose.trim().length < 20) {
    fields.push({
      field: 'purpose',
      message: 'must say in a sentence or two what the app does with the data',
    });
  }
  const notice = urlProblem(input.privacyNoticeUrl, false);
  if (notice !== undefined) {
    fields.push({ field: 'privacyNoticeUrl', message: notice });
  }
  if (input.redirectUris.length === 0) {
    fields.push({ field: 'redirectUris', message: 'needs at least one address' });
  }
  input.redirectUris.forEach((uri, index) => {
    const problem = urlProblem(uri, true);
    if (problem !== undefined) {
      fields.push({ field: `redirectUris.${index}`, message: problem });
    }
  });
  if (input.scopes.length === 0) {
    fields.push({ field: 'scopes', message: 'needs at least one scope' });
  }
  const seen = new Set<string>();
  input.scopes.forEach((requested, index) => {
    if (!isScope(requested.scope)) {
      fields.push({ field: `scopes.${index}.scope`, message: `${requested.scope} is not a Haven scope` });
    } else if (seen.has(requested.scope)) {
      fields.push({ field: `scopes.${index}.scope`, message: `${requested.scope} is listed twice` });
    }
    seen.add(requested.scope);
    if (requested.reason.trim().length < 5) {
      fields.push({ field: `scopes.${index}.reason`, message: 'must say why the app needs it' });
    }
  });
  if (!input.acceptTerms) {
    fields.push({ field: 'acceptTerms', message: 'must be accepted to register an app' });
  }
  if (fields.length > 0) {
    throw badRequest('The app could not be registered: some fields need changing.', fields);
  }
}

function describeApp(app: repository.AppRow, scopes: readonly repository.AppScopeRow[]): RegisteredApp {
  return {
    id: app.id,
    clientId: app.client_id,
    name: app.name,
    purpose: app.purpose,
    privacyNoticeUrl: app.privacy_notice_url,
    redirectUris: app.redirect_uris,
    status: app.status,
    scopes: scopes
      .filter((scope) => scope.app_id === app.id)
      .map(({ scope, required, reason }) => ({ scope, required, reason })),
    termsVersion: app.terms_version,
    termsAcceptedAt: app.terms_accepted_at.toISOString(),
    secretRotatedAt: app.secret_rotated_at.toISOString(),
    createdAt: app.created_at.toISOString(),
  };
}

/**
 * Registers an app for its developer. Asking for an attribute implies the pupils it belongs to
 * (students.basic), required when any required scope needs it. The secret is returned once.
 */
export async function registerApp(
  services: Services,
  who: SignedIn,
  input: NewApp,
): Promise<{ app: RegisteredApp; clientSecret: string }> {
  validateNewApp(input);
  const requested = new Map(
    input.scopes.map((scope) => [scope.scope, { ...scope, reason: scope.reason.trim() }]),
  );
  for (const implied of withImplied(requested.keys()).filter((scope) => !requested.has(scope))) {
    const needed = input.scopes.some((scope) => scope.required && scope.scope.startsWith('students.'));
    requested.set(implied, {
      scope: implied,
      required: needed,
      reason: 'Needed to know which pupil each attribute belongs to.',
    });
  }
  const clientSecret = newSecret();
  return withIdentity(services, async (trx) => {
    const row = await repository.insertApp(
      trx,
      {
        client_id: `haven_${randomBytes(12).toString('base64url')}`,
        client_secret_hash: secretDigest(clientSecret),
        developer_id: who.userId,
        name: input.name.trim(),
        purpose: input.purpose.trim(),
        privacy_notice_url: input.privacyNoticeUrl,
        redirect_uris: input.redirectUris,
        terms_version: DEVELOPER_TERMS_VERSION,
        terms_accepted_at: new Date(),
      },
      [...requested.values()],
    );
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'apps.registered',
      target: `app:${row.id}`,
      details: { termsVersion: DEVELOPER_TERMS_VERSION, scopes: [...requested.keys()].join(' ') },
    });
    return { app: describeApp(row, await repository.scopesOf(trx, [row.id])), clientSecret };
  });
}

async function ownApp(services: Services, who: SignedIn, appId: string): Promise<repository.AppRow> {
  const app = await withIdentity(services, (trx) => repository.findApp(trx, appId));
  if (app === undefined || app.developer_id !== who.userId) {
    throw notFound('That app');
  }
  return app;
}

/** A new secret; the old one stops working at once. Returned once. */
export async function rotateSecret(services: Services, who: SignedIn, appId: string): Promise<string> {
  await ownApp(services, who, appId);
  const clientSecret = newSecret();
  await withIdentity(services, async (trx) => {
    await repository.setSecret(trx, appId, secretDigest(clientSecret));
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'apps.secret_rotated',
      target: `app:${appId}`,
    });
  });
  return clientSecret;
}

export async function developerApps(
  services: Services,
  who: SignedIn,
): Promise<Array<RegisteredApp & { usage: AppUsage }>> {
  const apps = await withIdentity(services, async (trx) => {
    const rows = await repository.appsOfDeveloper(trx, who.userId);
    const scopes = await repository.scopesOf(
      trx,
      rows.map((app) => app.id),
    );
    return rows.map((app) => describeApp(app, scopes));
  });
  // Authorisations live in each school's tenant: counting them across schools is platform work.
  const usage = await services.db.withPlatform('apps.developer_usage', (trx) =>
    repository.usageOf(
      trx,
      apps.map((app) => app.id),
    ),
  );
  return apps.map((app) => {
    const found = usage.find((row) => row.app_id === app.id);
    return {
      ...app,
      usage: {
        schools: Number(found?.schools ?? 0),
        requests: Number(found?.requests ?? 0),
        lastAccessAt: found?.last_access_at?.toISOString() ?? null,
      },
    };
  });
}

export async function appsById(
  services: Services,
  ids: readonly string[],
): Promise<Map<string, RegisteredApp>> {
  return withIdentity(services, async (trx) => {
    const apps = await repository.appsByIds(trx, ids);
    const scopes = await repository.scopesOf(
      trx,
      apps.map((app) => app.id),
    );
    return new Map(apps.map((app) => [app.id, describeApp(app, scopes)]));
  });
}

export async function appByClientId(
  services: Services,
  clientId: string,
): Promise<RegisteredApp | undefined> {
  return withIdentity(services, async (trx) => {
    const app = await repository.findAppByClientId(trx, clientId);
    return app === undefined ? undefined : describeApp(app, await repository.scopesOf(trx, [app.id]));
  });
}

/**
 * The registry entry as oidc-provider client metadata. The "secret" it compares against is the digest
 * (see oauth/provider.ts, which compares digests); a disabled app is no client at all.
 */
export async function clientMetadataFor(
  services: Services,
  clientId: string,
): Promise<AdapterPayload | undefined> {
  const app = await withIdentity(services, (trx) => repository.findAppByClientId(trx, clientId));
  if (app === undefined || app.status !== 'active') {
    return undefined;
  }
  return {
    client_id: app.client_id,
    client_secret: app.client_secret_hash,
    client_name: app.name,
    redirect_uris: app.redirect_uris,
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
}
