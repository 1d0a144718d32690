import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface PageRequest {
  page: number;
  perPage: number;
}

/** The offset of a page in a stable ordering. */
export function offsetOf({ page, perPage }: PageRequest): number {
  return (page - 1) * perPage;
}

/**
 * Page headers as apps expect them: `Total`, `Total-Pages`, `Next-Page` (when there is one) and an RFC 8288
 * `Link` with first, prev, next and last, each the same address with another `page`.
 */
export function setPageHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  page: PageRequest,
  total: number,
): void {
  const pages = Math.max(1, Math.ceil(total / page.perPage));
  const at = (target: number): string => {
    const url = new URL(request.url, 'http://haven.invalid');
    url.searchParams.set('page', String(target));
    url.searchParams.set('per_page', String(page.perPage));
    return `${url.pathname}${url.search}`;
  };
  const links = [`<${at(1)}>; rel="first"`, `<${at(pages)}>; rel="last"`];
  if (page.page > 1) {
    links.push(`<${at(Math.min(page.page - 1, pages))}>; rel="prev"`);
  }
  if (page.page < pages) {
    links.push(`<${at(page.page + 1)}>; rel="next"`);
    void reply.header('next-page', String(page.page + 1));
  }
  void reply
    .header('total', String(total))
    .header('total-pages', String(pages))
    .header('link', links.join(', '));
}

/**
 * Conditional GETs: a strong ETag over the body, and Last-Modified when the newest change is known. A client
 * whose `If-None-Match` matches gets 304 with no body (nothing to send again).
 */
export function sendConditional<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  body: T,
  lastModified?: Date,
): T | FastifyReply {
  const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 32)}"`;
  void reply.header('etag', etag).header('cache-control', 'private, no-cache');
  if (lastModified !== undefined) {
    void reply.header('last-modified', lastModified.toUTCString());
  }
  const match = request.headers['if-none-match'];
  if (
    match !== undefined &&
    match.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag)
  ) {
    return reply.status(304).send();
  }
  return body;
}

/** `If-Modified-Since` as a date, when given and valid (HTTP dates have whole seconds). */
export function modifiedSince(request: FastifyRequest): Date | undefined {
  const header = request.headers['if-modified-since'];
  if (header === undefined) {
    return undefined;
  }
  const date = new Date(header);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
