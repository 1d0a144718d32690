import { createPrivateKey, timingSafeEqual } from 'node:crypto';
import { Provider, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Services } from '../../../services.ts';
import { secretDigest } from '../registry.service.ts';
import { SCOPES } from '../scopes.ts';
import { adapterFor } from './adapter.ts';

/** Where the OAuth server lives, and the resource (the app data API) its tokens are for. */
export const OAUTH_PATH = '/oauth';
export const APP_API_PATH = '/api/apps/v1';

export interface OAuthServer {
  provider: Provider;
  issuer: string;
  /** The resource indicator of the app data API: every access token names it as its audience. */
  resource: string;
}

// PKCS#8 DER prefix of an Ed25519 private key (RFC 8410): the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The server's signing key (for discovery and any JWT it issues), derived from the master key. */
function signingJwk(services: Services) {
  const seed = services.keyring.provider.deriveSecret('oauth signing');
  const key = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { ...key.export({ format: 'jwk' }), use: 'sig', alg: 'EdDSA' };
}

/** Replaces oidc-provider's secret comparison: the stored "secret" is the digest of the real one. */
function compareSecretDigest(this: { clientSecret?: string }, actual: string): Promise<boolean> {
  const expected = Buffer.from(this.clientSecret ?? '', 'utf8');
  const given = Buffer.from(secretDigest(actual), 'utf8');
  return Promise.resolve(expected.length === given.length && timingSafeEqual(expected, given));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The OAuth 2.0 authorisation server (oidc-provider) as Haven configures it: authorisation code with PKCE
 * (S256) required of every client, client credentials for app-level calls, refresh tokens, revocation
 * (RFC 7009), introspection (RFC 7662), resource indicators (RFC 8707) with the app data API as the only
 * resource, and short-lived opaque access tokens kept in the database so revocation is immediate.
 *
 * The "account" of a grant is the school: a school admin approves an app for their school, and the
 * app's tokens then act for that school alone.
 */
export function createOAuthServer(services: Services): OAuthServer {
  const issuer = `${services.publicUrl}${OAUTH_PATH}`;
  const resource = `${services.publicUrl}${APP_API_PATH}`;
  const allScopes = [...SCOPES.keys()].join(' ');
  const configuration: Configuration = {
    adapter: adapterFor(services),
    clients: [],
    // The one signing key is Ed25519; nothing Haven issues to apps is an ID token, but the metadata must agree.
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      id_token_signed_response_alg: 'EdDSA',
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    jwks: { keys: [signingJwk(services)] },
    // Secure cookies whenever Haven is reached over https (its public address says so); behind a TLS proxy
    // that needs HAVEN_TRUST_PROXY, or the server would refuse to set them on what looks like http.
    cookies: {
      keys: [services.keyring.provider.deriveSecret('oauth cookies').toString('base64url')],
      long: { httpOnly: true, sameSite: 'lax', secure: services.publicUrl.startsWith('https:') },
      short: { httpOnly: true, sameSite: 'lax', secure: services.publicUrl.startsWith('https:') },
    },
    scopes: [],
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) {
            throw new Error('unknown resource');
          }
          return { scope: allScopes, audience: resource, accessTokenFormat: 'opaque', accessTokenTTL: 600 };
        },
      },
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      Grant: 365 * 24 * 3600,
      IdToken: 600,
      Interaction: 900,
      RefreshToken: 30 * 24 * 3600,
      Session: 900,
    },
    interactions: { url: (_ctx, interaction) => `${OAUTH_PATH}/interaction/${interaction.uid}` },
    clientBasedCORS: () => false,
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Haven: the app's request could not be completed</title></head><body><main><h1>The app's request could not be completed</h1><p>${escapeHtml(out.error_description ?? out.error)}</p><p>Go back to the app and try again, or ask its developer for help.</p></main></body></html>`;
    },
  };
  const provider = new Provider(issuer, configuration);
  // Haven keeps only a digest of each client secret: compare digests (in constant time), never secrets.
  provider.Client.prototype.compareClientSecret = compareSecretDigest;
  provider.proxy = true;
  return { provider, issuer, resource };
}
