// Every route declares who may call it (`config.access`): the authorisation matrix test reads this
// declaration for every registered route, so a route without one fails the suite.

/**
 * `public`: anyone; `session`: any signed-in user; `school:<permission>`: a signed-in user whose role
 * reaches the school in the URL (`:schoolId`) and grants that permission.
 */
export type Access = 'public' | 'session' | `school:${string}`;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
