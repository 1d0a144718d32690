import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** A minimal cookie jar for a scripted browser: name=value pairs from Set-Cookie, sent back on every call. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  take(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) {
        this.#cookies.delete(name);
      } else {
        this.#cookies.set(name, value);
      }
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** A request as the browser would send it (no redirects followed: each hop is checked). */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...Object.fromEntries(new Headers(init.headers)), cookie: this.header() },
    });
    this.take(response);
    return response;
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * The third-party app's own web server, on loopback: it receives the browser at its redirect URI and
 * remembers the query (code and state, or error).
 */
export async function startClientApp(): Promise<{
  server: Server;
  redirectUri: string;
  received: URLSearchParams[];
}> {
  const received: URLSearchParams[] = [];
  const server = createServer((request, response) => {
    received.push(new URL(request.url ?? '/', 'http://127.0.0.1').searchParams);
    response.writeHead(200, { 'content-type': 'text/plain' }).end('thank you');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { server, redirectUri: `http://127.0.0.1:${port}/callback`, received };
}

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** A staff sign-in through the real route, into a cookie jar. */
export async function signInJar(
  jar: CookieJar,
  base: string,
  email: string,
  password: string,
): Promise<void> {
  const response = await jar.fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) {
    throw new Error(`sign-in failed with ${response.status}`);
  }
}

export interface AuthoriseRequest {
  base: string;
  clientId: string;
  redirectUri: string;
  /** Scopes the app asks for (the URL), and those the school admin approves. */
  asked: readonly string[];
  approved: readonly string[];
  schoolId: string;
  adminEmail: string;
  password: string;
}

/**
 * A school administrator's browser through the whole authorisation, as the app sends it: the
 * authorisation endpoint, sign-in, the approval page's API, and back to the app's redirect address.
 * Returns the code the app receives and the PKCE verifier to exchange it with.
 */
export async function authoriseOverHttp(
  request: AuthoriseRequest,
): Promise<{ code: string; verifier: string }> {
  const pair = pkcePair();
  const browser = new CookieJar();
  await signInJar(browser, request.base, request.adminEmail, request.password);
  const query = new URLSearchParams({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: request.asked.join(' '),
    state: 'state-123',
    code_challenge: pair.challenge,
    code_challenge_method: 'S256',
  });
  const start = await browser.fetch(`${request.base}/oauth/auth?${query.toString()}`);
  const uid = /\/oauth\/interaction\/([A-Za-z0-9_-]+)$/.exec(start.headers.get('location') ?? '')?.[1];
  if (start.status !== 303 || uid === undefined) {
    throw new Error(`the authorisation endpoint answered ${start.status}, not the approval page`);
  }
  const approve = await browser.fetch(`${request.base}/oauth/interaction/${uid}/approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ schoolId: request.schoolId, scopes: request.approved }),
  });
  if (approve.status !== 200) {
    throw new Error(`approval failed with ${approve.status}: ${await approve.text()}`);
  }
  const { redirectTo } = (await approve.json()) as { redirectTo: string };
  let next = await browser.fetch(redirectTo);
  while (next.status === 303 || next.status === 302) {
    const target = next.headers.get('location') ?? '';
    if (target.startsWith(request.redirectUri)) {
      const params = new URL(target).searchParams;
      if (params.get('state') !== 'state-123') {
        throw new Error('the state did not come back');
      }
      return { code: params.get('code') ?? '', verifier: pair.verifier };
    }
    next = await browser.fetch(new URL(target, request.base).toString());
  }
  throw new Error(`the browser did not come back to the app (status ${next.status})`);
}

/** The app's side: the code (with its PKCE verifier) for tokens. */
export async function exchangeCode(
  base: string,
  client: { clientId: string; clientSecret: string; redirectUri: string },
  code: string,
  verifier: string,
): Promise<Response> {
  return fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basicAuth(client.clientId, client.clientSecret),
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
}
