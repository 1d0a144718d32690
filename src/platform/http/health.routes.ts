import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

export interface HealthOptions {
  /** True when the database answers. */
  ping: () => Promise<boolean>;
  /** Migrations shipped with this build that the database has not run. */
  pending: () => Promise<string[]>;
}

const Health = Type.Object({ status: Type.Literal('ok') });
const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  migrations: Type.Union([Type.Literal('current'), Type.Literal('pending'), Type.Literal('unknown')]),
});

/** Liveness (the process answers) and readiness (database reachable, schema current). */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthOptions> = async (app, options) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: { summary: 'Liveness: the process is up', tags: ['operations'], response: { 200: Health } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Readiness: the database is reachable and migrations are current',
        tags: ['operations'],
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_request, reply) => {
      const reachable = await options.ping();
      const pending = reachable ? await options.pending().catch(() => undefined) : undefined;
      const migrations = pending === undefined ? 'unknown' : pending.length === 0 ? 'current' : 'pending';
      const ready = reachable && migrations === 'current';
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'unavailable',
        database: reachable ? 'ok' : 'unreachable',
        migrations,
      });
    },
  );
};
