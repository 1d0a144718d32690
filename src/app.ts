import { pepRoutes } from './modules/pep/pep.routes.ts';
import { pepSchoolRoutes } from './modules/pep/pep-school.routes.ts';
import { termsRoutes } from './modules/governance/terms.routes.ts';
import { supportAccessRoutes } from './modules/governance/support-access.routes.ts';
import { retentionRoutes } from './modules/retention/retention.routes.ts';
import { retentionPlatformRoutes } from './modules/retention/retention-platform.routes.ts';
import { governanceRoutes } from './modules/governance/governance.routes.ts';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createServer as createHttpsServer } from 'node:https';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerFactory } from 'fastify';
import type { Logger } from 'pino';
import { pendingMigrations } from './platform/db/migrate.ts';
import { analysisRoutes } from './modules/analysis/analysis.routes.ts';
import { appApiRoutes } from './modules/apps/app-api.routes.ts';
import { appsRoutes } from './modules/apps/apps.routes.ts';
import { developersRoutes } from './modules/apps/developers.routes.ts';
import { createOAuthServer } from './modules/apps/oauth/provider.ts';
import { SCOPES } from './modules/apps/scopes.ts';
import { oauthRoutes } from './modules/apps/oauth.routes.ts';
import { classRoutes } from './modules/curriculum/classes.routes.ts';
import { columnMappingRoutes } from './modules/imports/column-mappings.routes.ts';
import { importRoutes } from './modules/imports/imports.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/organisations/auth.routes.ts';
import { passwordRoutes } from './modules/organisations/passwords.routes.ts';
import { organisationRoutes } from './modules/organisations/organisations.routes.ts';
import { platformRoutes } from './modules/organisations/platform.routes.ts';
import { staffRoutes } from './modules/organisations/staff.routes.ts';
import { twoFactorRoutes } from './modules/organisations/two-factor.routes.ts';
import { pupilRoutes } from './modules/pupils/pupils.routes.ts';
import { privacyActionRoutes } from './modules/privacy/privacy-actions.routes.ts';
import { privacyRequestRoutes } from './modules/privacy/requests.routes.ts';
import { platformRequestRoutes } from './modules/privacy/platform-requests.routes.ts';
import { marketingRoutes } from './modules/privacy/marketing.routes.ts';
import { breachRoutes } from './modules/governance/breaches.routes.ts';
import { backupRoutes } from './modules/retention/backups.routes.ts';
import { connectorRoutes } from './modules/connectors/connectors.routes.ts';
import { oneRosterRoutes } from './modules/connectors/oneroster.routes.ts';
import { installErrorHandler } from './platform/http/error-handler.ts';
import { installOriginCheck } from './platform/http/origin.ts';
import { helmetOptions } from './platform/http/security-headers.ts';
import { healthRoutes } from './platform/http/health.routes.ts';
import { webAppRoutes } from './platform/http/web-app.ts';
import { registerOpenApi } from './platform/http/openapi.ts';
import { requestIdFor } from './platform/http/request-id.ts';
import { fastifyTrustProxy } from './platform/http/trust-proxy.ts';
import type { TrustProxy } from './platform/config.ts';
import type { Services } from './services.ts';
import { HAVEN_VERSION } from './version.ts';

export interface AppOptions {
  services: Services;
  logger: Logger;
  /** Which X-Forwarded-* hops to believe: a hop count or the proxies' addresses; never every hop. */
  trustProxy?: TrustProxy;
  /** Where the built web app is (web/dist unless a test says otherwise). */
  webRoot?: string;
  /** Serve HTTPS with this certificate chain and key (PEM); plain HTTP when absent. */
  tls?: { cert: Buffer; key: Buffer };
}

export type HavenApp = FastifyInstance;

/** A registered route and who may call it (for the authorisation matrix test and the docs). */
export interface RouteEntry {
  method: string;
  url: string;
  access: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

/** Builds the Fastify application from the platform and the modules; does not listen (see server.ts). */
export async function buildApp(options: AppOptions): Promise<HavenApp> {
  const logger: FastifyBaseLogger = options.logger;
  const settings = {
    loggerInstance: logger,
    genReqId: requestIdFor,
    trustProxy: fastifyTrustProxy(options.trustProxy ?? false),
    bodyLimit: 1024 * 1024,
    // Schemas are allow-lists: unknown properties are dropped from requests and never serialised out.
    ajv: { customOptions: { removeAdditional: 'all' as const, allErrors: true } },
  };
  const tls = options.tls;
  // HTTPS: Node's HTTPS server is an HTTP server over TLS, so the app keeps one type either way.
  const serverFactory: FastifyServerFactory | undefined =
    tls === undefined ? undefined : (handler) => createHttpsServer({ cert: tls.cert, key: tls.key }, handler);
  const app = Fastify({ ...settings, serverFactory }).withTypeProvider<TypeBoxTypeProvider>();

  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routeTable.push({ method, url: route.url, access: route.config?.access });
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  installErrorHandler(app);
  await app.register(
    helmet,
    helmetOptions({ hsts: options.tls !== undefined || options.services.publicUrl.startsWith('https:') }),
  );
  await app.register(cookie);
  // Off by default; routes opt in with config.rateLimit (sign-in does).
  await app.register(rateLimit, { global: false });
  installOriginCheck(app, options.services.auth.publicOrigin);
  await registerOpenApi(
    app,
    HAVEN_VERSION,
    Object.fromEntries([...SCOPES.values()].map((scope) => [scope.scope, scope.title])),
  );

  const database = options.services.db;
  await app.register(healthRoutes, {
    ping: () => database.ping(),
    pending: () => pendingMigrations(database.unscoped),
  });
  // Set by the session preHandlers; declared here so every route plugin sees the same request shape.
  app.decorateRequest('signedIn', null);
  await app.register(authRoutes, { services: options.services });
  await app.register(passwordRoutes, { services: options.services });
  await app.register(twoFactorRoutes, { services: options.services });
  await app.register(organisationRoutes, { services: options.services });
  await app.register(platformRoutes, { services: options.services });
  await app.register(staffRoutes, { services: options.services });
  await app.register(auditRoutes, { services: options.services });
  await app.register(importRoutes, { services: options.services });
  await app.register(columnMappingRoutes, { services: options.services });
  await app.register(analysisRoutes, { services: options.services });
  await app.register(classRoutes, { services: options.services });
  await app.register(pupilRoutes, { services: options.services });
  await app.register(privacyRequestRoutes, { services: options.services });
  await app.register(privacyActionRoutes, { services: options.services });
  await app.register(platformRequestRoutes, { services: options.services });
  await app.register(appsRoutes, { services: options.services });
  await app.register(developersRoutes, { services: options.services });
  await app.register(marketingRoutes, { services: options.services });
  await app.register(retentionRoutes, { services: options.services });
  await app.register(pepRoutes, { services: options.services });
  await app.register(pepSchoolRoutes, { services: options.services });
  await app.register(retentionPlatformRoutes, { services: options.services });
  await app.register(supportAccessRoutes, { services: options.services });
  await app.register(termsRoutes, { services: options.services });
  await app.register(breachRoutes, { services: options.services });
  await app.register(governanceRoutes, { services: options.services });
  await app.register(backupRoutes, { services: options.services });
  await app.register(connectorRoutes, { services: options.services });
  const oauth = createOAuthServer(options.services);
  await app.register(oauthRoutes, { services: options.services, server: oauth });
  await app.register(appApiRoutes, { services: options.services, server: oauth });
  await app.register(oneRosterRoutes, { services: options.services, server: oauth });
  // Last: the web app answers page addresses the API does not claim.
  await app.register(webAppRoutes, options.webRoot === undefined ? {} : { root: options.webRoot });

  return app;
}
