// Every route declares who may call it (`config.access`): the authorisation matrix test reads this
// declaration for every registered route, so a route without one fails the suite.

/**
 * `public`: anyone; `session`: any signed-in user; `school:<permission>`: a signed-in user whose role
 * reaches the school in the URL (`:schoolId`) and grants that permission; `platform:<permission>`: the
 * platform operator (platform routes see organisations and keys, never pupil data); `app:<scope>`: an
 * app's bearer token for the school that approved it, with that scope granted; `connector`: the school's
 * connector token (an on-premise agent uploading the MIS's exports); `authority:<permission>`: a
 * signed-in user with a role in the local authority (virtual school) in the URL (`:authorityId`) granting it.
 */
export type Access =
  | 'public'
  | 'session'
  | 'connector'
  | `school:${string}`
  | `authority:${string}`
  | `platform:${string}`
  | `app:${string}`;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
