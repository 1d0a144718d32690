import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { webAppRoutes } from './web-app.ts';

let dist = '';
let app: FastifyInstance;
let unbuilt: FastifyInstance;

before(async () => {
  dist = await mkdtemp(path.join(tmpdir(), 'haven-web-'));
  await mkdir(path.join(dist, 'assets'));
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Haven</title><div id="root"></div>');
  await writeFile(path.join(dist, 'assets', 'index-abc123.js'), 'console.log("app")');
  await writeFile(path.join(dist, 'secret.txt'), 'not for the web');
  app = Fastify();
  await app.register(webAppRoutes, { root: dist });
  unbuilt = Fastify();
  await unbuilt.register(webAppRoutes, { root: path.join(dist, 'missing') });
});

after(async () => {
  await app.close();
  await unbuilt.close();
  await rm(dist, { recursive: true, force: true });
});

describe('serving the web app', () => {
  test('any page address gets index.html, never cached, so a new release is picked up', async () => {
    for (const url of ['/', '/sign-in', '/schools/5f0c/analysis?facet=target', '/oauth/interaction/abc']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      assert.match(String(response.headers['content-type']), /text\/html/);
      assert.equal(response.headers['cache-control'], 'no-cache');
      assert.match(response.body, /<div id="root">/);
    }
  });

  test('hashed assets are cached for a year; other files and paths outside assets are not served', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['cache-control']), /max-age=31536000, immutable/);
    const escape = await app.inject({ method: 'GET', url: '/assets/../secret.txt' });
    assert.ok(!escape.body.includes('not for the web'), 'no way out of assets/');
    const missing = await app.inject({ method: 'GET', url: '/assets/nope.js' });
    assert.equal(missing.statusCode, 404);
  });

  test('an unknown /api/ address is a JSON 404, never the page', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v9/whatever' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json<{ code: string }>().code, 'not_found');
  });

  test('without a build, pages say how to get one (503), and the API is untouched', async () => {
    const response = await unbuilt.inject({ method: 'GET', url: '/sign-in' });
    assert.equal(response.statusCode, 503);
    assert.match(response.body, /haven start/);
  });
});
