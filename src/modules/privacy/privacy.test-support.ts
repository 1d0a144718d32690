// Shared set-up for the privacy HTTP tests: a school with two synthetic pupils, its admin and DPO signed
// in, and small helpers for the register's routes. Not a test file itself (no .test.ts ending).
import assert from 'node:assert/strict';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import { todayInEngland } from '../../platform/calendar/working-days.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { readZipEntries } from '../imports/readers/zip.reader.ts';

// Synthetic pupils: names obviously not real.
export const ANNA = { upn: syntheticUpn(11), forename: 'Zqanna', surname: 'Xvprivacy' };
export const BEN = { upn: syntheticUpn(12), forename: 'Zqben', surname: 'Xvother' };

export interface Details {
  id: string;
  reference: string;
  status: string;
  dueOn: string;
  firstDueOn: string;
  actions: string[];
  history: Array<{ kind: string; note: string | null; actorLabel: string }>;
  requester: { name: string };
  certificateId: string | null;
}

export async function unzip(buffer: Buffer): Promise<Map<string, string>> {
  const entries = await readZipEntries(buffer, () => true);
  const files = new Map<string, string>();
  for (const [name, content] of entries) {
    files.set(name, content.toString('utf8'));
  }
  return files;
}

/** The app over a test database for one file, with the privacy helpers bound to it. */
export function usePrivacyFixture() {
  const fixture = useTestApp();
  const importCsv = (schoolId: string, lines: string[]) => importCsvLines(fixture.services, schoolId, lines);

  async function pupilIdByUpn(schoolId: string, upn: string): Promise<string> {
    const id = await fixture.services.db.withSchool(schoolId, (trx) =>
      new SchoolVault(fixture.services.keyring, trx, schoolId).lookup('upn', upn),
    );
    assert.ok(id !== undefined);
    return id;
  }

  function call(method: 'GET' | 'POST', url: string, cookie: string, payload?: Record<string, unknown>) {
    return fixture.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload }),
    });
  }

  /** A school with two pupils and results, its admin and its DPO signed in. */
  async function schoolWithPupils() {
    const school = await buildSchool(fixture.services);
    await importCsv(school.id, [
      'upn,forename,surname,dob,sex,year_group,ethnicity,fsm,sen,class,ks2_reading_score,ks2_maths_score',
      `${ANNA.upn},${ANNA.forename},${ANNA.surname},2010-03-14,F,11,WBRI,Y,K,11A,104,108`,
      `${BEN.upn},${BEN.forename},${BEN.surname},2010-07-02,M,11,APKN,N,N,11B,99,101`,
    ]);
    await importCsv(school.id, [
      'upn,subject,assessment_point,facet,grade,class',
      `${ANNA.upn},Maths,Y11 Autumn,achieved,5,11Ma1`,
      `${ANNA.upn},English Language,Y11 Autumn,achieved,6,`,
      `${BEN.upn},Maths,Y11 Autumn,achieved,4,11Ma2`,
    ]);
    const admin = await buildUser(fixture.services, 'school_admin', school.id);
    const dpo = await buildUser(fixture.services, 'dpo', school.id);
    return {
      school,
      anna: await pupilIdByUpn(school.id, ANNA.upn),
      ben: await pupilIdByUpn(school.id, BEN.upn),
      admin: await signInAs(fixture.app, admin.email),
      dpo: await signInAs(fixture.app, dpo.email),
    };
  }

  async function newRequest(
    schoolId: string,
    cookie: string,
    body: Record<string, unknown>,
  ): Promise<Details> {
    const created = await call('POST', `/api/v1/schools/${schoolId}/privacy/requests`, cookie, {
      subjectType: 'pupil',
      requester: { name: 'Zqparent Xvprivacy', contact: 'parent@example.org', relationship: 'parent' },
      receivedOn: todayInEngland(),
      ...body,
    });
    assert.equal(created.statusCode, 201, created.body);
    const { id } = created.json<{ id: string }>();
    const read = await call('GET', `/api/v1/schools/${schoolId}/privacy/requests/${id}`, cookie);
    assert.equal(read.statusCode, 200, read.body);
    return read.json<Details>();
  }

  async function step(
    schoolId: string,
    id: string,
    cookie: string,
    path: string,
    body: Record<string, unknown> = {},
  ) {
    return call('POST', `/api/v1/schools/${schoolId}/privacy/requests/${id}/${path}`, cookie, body);
  }

  return { fixture, importCsv, pupilIdByUpn, call, schoolWithPupils, newRequest, step };
}
