import type { TrustProxy } from '../config.ts';

/** Fastify's `trustProxy` option for HAVEN_TRUST_PROXY. */
export type FastifyTrustProxy = false | string[] | ((address: string, hop: number) => boolean);

/**
 * Addresses go to Fastify as they are: a hop is believed only when it comes from one of them. A hop
 * count becomes "believe the nearest N hops" (Express's meaning), as a function: Fastify 5 ignores a
 * bare number (it trusts nothing then, so every client would share the proxy's rate-limit bucket).
 * A hop count cannot check who the peer is, so it is only safe when Haven cannot be reached except
 * through those proxies; the README says so.
 */
export function fastifyTrustProxy(trust: TrustProxy): FastifyTrustProxy {
  if (typeof trust !== 'number') {
    return trust;
  }
  return (_address, hop) => hop < trust;
}
