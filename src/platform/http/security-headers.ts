import type { FastifyHelmetOptions } from '@fastify/helmet';

/** A year, with subdomains: what browsers remember once they have seen Haven over HTTPS. */
const HSTS_MAX_AGE_SECONDS = 31_536_000;

/**
 * Helmet's options for Haven (docs/security.md). The content security policy allows scripts, styles and
 * images from Haven itself only (plus data: images for the charts), and no page of Haven may be framed
 * by anyone (frame-ancestors 'none', and X-Frame-Options DENY for older browsers): a framed sign-in or
 * approval page is a clickjacking target. Strict-Transport-Security is sent when Haven is reached over
 * HTTPS — it serves TLS itself, or its public address is https:// behind a TLS proxy — and never on a
 * plain-HTTP development server, where it would only teach a browser to refuse localhost.
 */
export function helmetOptions(settings: { hsts: boolean }): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'frame-ancestors': ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: settings.hsts
      ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true }
      : false,
  };
}

type Headers = Record<string, string | string[] | number | undefined>;

/**
 * What is wrong with a response's security headers, one line each (empty when nothing is): the check the
 * header tests make of the real app, and show failing on an app built with weaker settings.
 */
export function securityHeaderProblems(headers: Headers, expected: { hsts: boolean }): string[] {
  const problems: string[] = [];
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return value === undefined ? undefined : [value].flat().join(', ');
  };
  const csp = header('content-security-policy');
  if (csp === undefined) {
    problems.push('no Content-Security-Policy');
  } else {
    const directives = new Map(
      csp
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .filter((words) => words[0] !== undefined && words[0] !== '')
        .map((words) => [words[0]?.toLowerCase() ?? '', words.slice(1)]),
    );
    const expect = (name: string, values: string[]): void => {
      const given = directives.get(name);
      if (given === undefined || given.join(' ') !== values.join(' ')) {
        problems.push(
          `CSP ${name} is ${given === undefined ? 'missing' : `"${given.join(' ')}"`}, not "${values.join(' ')}"`,
        );
      }
    };
    expect('default-src', ["'self'"]);
    expect('script-src', ["'self'"]);
    expect('object-src', ["'none'"]);
    expect('base-uri', ["'self'"]);
    expect('frame-ancestors', ["'none'"]);
  }
  if (header('x-frame-options')?.toUpperCase() !== 'DENY') {
    problems.push(`X-Frame-Options is ${header('x-frame-options') ?? 'missing'}, not DENY`);
  }
  if (header('x-content-type-options') !== 'nosniff') {
    problems.push('X-Content-Type-Options is not nosniff');
  }
  const hsts = header('strict-transport-security');
  if (expected.hsts) {
    const maxAge = Number(/max-age=(\d+)/i.exec(hsts ?? '')?.[1] ?? 0);
    if (maxAge < 15_552_000) {
      problems.push(
        `Strict-Transport-Security is ${hsts ?? 'missing'}; over HTTPS it must last at least 180 days`,
      );
    }
  } else if (hsts !== undefined) {
    problems.push(`Strict-Transport-Security is sent over plain HTTP (${hsts})`);
  }
  return problems;
}

/**
 * What is wrong with a session cookie's attributes (a Set-Cookie header), one line each: HttpOnly always,
 * SameSite Strict or Lax, and Secure whenever Haven is served over HTTPS (or told the cookie must be).
 */
export function cookieProblems(setCookie: string, expected: { secure: boolean }): string[] {
  const attributes = setCookie
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase());
  const problems: string[] = [];
  if (!attributes.includes('httponly')) {
    problems.push('the cookie is not HttpOnly');
  }
  const sameSite = attributes
    .find((attribute) => attribute.startsWith('samesite='))
    ?.slice('samesite='.length);
  if (sameSite !== 'strict' && sameSite !== 'lax') {
    problems.push(`the cookie's SameSite is ${sameSite ?? 'missing'}, not Strict or Lax`);
  }
  if (expected.secure && !attributes.includes('secure')) {
    problems.push('the cookie is not Secure');
  }
  return problems;
}
