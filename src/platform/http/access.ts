// Every route declares who may call it (`config.access`): the authorisation matrix test reads this
// declaration for every registered route, so a route without one fails the suite.

export type Access = 'public' | 'session';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
