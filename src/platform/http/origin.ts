import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.ts';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses state-changing requests sent by a page of another site (CSRF), on top of SameSite cookies.
 * Browsers send Origin with every such request; scripts and tests that send none are not browsers and
 * carry no ambient cookie risk.
 */
export function installOriginCheck(app: FastifyInstance, publicOrigin: string | undefined): void {
  app.addHook('onRequest', async (request) => {
    if (!UNSAFE.has(request.method)) {
      return;
    }
    const origin = request.headers.origin;
    const site = request.headers['sec-fetch-site'];
    const expected = publicOrigin ?? `${request.protocol}://${request.host}`;
    if ((origin !== undefined && origin !== expected) || site === 'cross-site') {
      throw new AppError(403, 'bad_origin', 'This request came from another site and was refused.');
    }
  });
}
