// A OneRoster 1.2 provider (a small server built from the 1EdTech REST binding's shapes) pulled with
// OAuth 2.0 client credentials: a full pull paged by limit/offset, then a delta with
// filter=dateLastModified>'…' that writes only what changed; bad credentials fail and alert.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { buildSchool } from '../../../test/support/factories.ts';
import {
  providerData,
  startOneRosterProvider,
  type OneRosterProvider,
} from '../../../test/support/oneroster-provider.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import { PUPILS_HEADER, syntheticSchool } from '../imports/synthetic.ts';
import type { CategoryId } from './categories.ts';
import { runConnectors } from './connectors.jobs.ts';
import { getConnector, setUpConnector } from './connectors.service.ts';
import { runSync } from './sync.service.ts';
import { AppError } from '../../platform/http/errors.ts';

let services: TestServices;
let provider: OneRosterProvider;
const cohort = syntheticSchool(2, 130, 11);
const cell = (row: string[], name: string): string => row[PUPILS_HEADER.indexOf(name)] ?? '';
const STAMP = '2026-09-01T08:00:00.000Z';

before(async () => {
  services = await createTestServices();
  // The test provider listens on loopback, which only an operator's setting lets a connection reach.
  services.connectorPrivateHosts = true;
  provider = await startOneRosterProvider(
    providerData(
      cohort.pupils.map((row) => ({
        upn: cell(row, 'upn'),
        forename: cell(row, 'forename'),
        surname: cell(row, 'surname'),
        dob: cell(row, 'dob'),
        sex: cell(row, 'sex'),
        year: cell(row, 'year_group'),
        form: cell(row, 'class'),
      })),
      STAMP,
    ),
  );
});
after(async () => {
  await provider.close();
  await services.close();
});

const ADMIN = { type: 'user' as const, id: 'b8c1f0d2-0000-4000-8000-00000000000a' };

/** Sets up the school's connector to pull from the test provider (with its secret unless another is given). */
function connectToProvider(schoolId: string, categories: CategoryId[], clientSecret = provider.clientSecret) {
  return setUpConnector(
    services,
    schoolId,
    {
      kind: 'oneroster',
      categories,
      oneroster: {
        baseUrl: provider.baseUrl,
        tokenUrl: provider.tokenUrl,
        clientId: provider.clientId,
        clientSecret,
      },
    },
    ADMIN,
  );
}

describe('OneRoster pull', () => {
  test('a full pull pages through every pupil; the next scheduled pull asks only for changes', async () => {
    const school = await buildSchool(services);
    await connectToProvider(school.id, ['characteristics', 'classes']);
    const full = await runSync(services, school.id, { trigger: 'manual', actor: ADMIN });
    assert.equal(full?.status, 'succeeded', JSON.stringify(full));
    assert.equal(full?.mode, 'full');
    assert.equal(full?.counts.added, 130);
    assert.ok(
      provider.requests.some((url) => url.includes('/students?limit=100&offset=100')),
      'paged',
    );

    // One pupil's surname changes at the provider after the pull.
    const changed = provider.data.students[4];
    assert.ok(changed !== undefined);
    changed.familyName = 'Renamed';
    changed.dateLastModified = new Date(Date.now() + 60_000).toISOString();
    provider.requests.length = 0;
    await runConnectors(services, pino({ level: 'silent' }), new Date(Date.now() + 86_400_000));
    const delta = (await getConnector(services, school.id))?.syncs[0];
    assert.equal(delta?.mode, 'delta');
    assert.equal(delta?.status, 'succeeded');
    assert.deepEqual(delta?.counts, { added: 0, changed: 1, left: 0, unchanged: 0 });
    const asked = provider.requests.find((url) => url.startsWith('/ims/oneroster/rostering/v1p2/students'));
    assert.match(decodeURIComponent(asked ?? ''), /filter=dateLastModified>'\d{4}-\d{2}-\d{2}T/);
  });

  test('wrong client credentials: the sync fails, nothing is written, the reason names no data', async () => {
    const school = await buildSchool(services);
    await connectToProvider(school.id, [], 'wrong');
    const result = await runSync(services, school.id, { trigger: 'manual', actor: ADMIN });
    assert.equal(result?.status, 'failed');
    assert.match(result?.message ?? '', /refused the client credentials/);
  });

  test('without the operator’s setting a private or local provider is refused: when saved, and before a pull', async () => {
    const school = await buildSchool(services);
    const closed = { ...services, connectorPrivateHosts: false };
    const setup = (baseUrl: string, tokenUrl: string) =>
      setUpConnector(
        closed,
        school.id,
        {
          kind: 'oneroster',
          categories: [],
          oneroster: { baseUrl, tokenUrl, clientId: provider.clientId, clientSecret: provider.clientSecret },
        },
        ADMIN,
      );
    for (const [baseUrl, field] of [
      [provider.baseUrl, 'oneroster.baseUrl'],
      ['http://169.254.169.254/latest/meta-data', 'oneroster.baseUrl'],
      ['http://localhost:8080/ims/oneroster/rostering/v1p2', 'oneroster.baseUrl'],
      ['http://[::ffff:10.0.0.7]/ims/oneroster/rostering/v1p2', 'oneroster.baseUrl'],
    ]) {
      await assert.rejects(setup(baseUrl ?? '', 'https://oneroster.example.org/token'), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.status, 400);
        assert.deepEqual(
          error.fields?.map((entry) => entry.field),
          [field],
        );
        return true;
      });
    }
    // Saved while the operator allowed it; the setting is then turned off: the pull stops before asking.
    await connectToProvider(school.id, []);
    const asked = provider.requests.length;
    const result = await runSync(closed, school.id, { trigger: 'manual', actor: ADMIN });
    assert.equal(result?.status, 'failed');
    assert.match(result?.message ?? '', /private or local network/);
    assert.equal(provider.requests.length, asked, 'no request reached the provider');
  });
});
