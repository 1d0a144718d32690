import { once } from 'node:events';
import { ZipFile } from 'yazl';
import { csvLine } from '../imports/synthetic.ts';
import { resolvesToPublic } from './provider-address.ts';

// Pulls rostering from a OneRoster 1.2 REST provider (1EdTech "OneRoster Rostering Service REST/JSON
// Binding 1.2"): an OAuth 2.0 client-credentials token, then each collection a page at a time
// (`limit`/`offset`, until a short page or X-Total-Count), with `filter=dateLastModified>'…'` for a
// delta. What comes back is written as a OneRoster CSV zip, so the import pipeline's OneRoster reader
// checks and commits it exactly as it would an uploaded export.

export interface OneRosterSettings {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Whether the addresses may be private or local (the operator's HAVEN_CONNECTOR_PRIVATE_HOSTS). */
  allowPrivate: boolean;
}

export const PULL_SCOPES = [
  'https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly',
  'https://purl.imsglobal.org/spec/or/v1p2/scope/roster-demographics.readonly',
].join(' ');
const PAGE = 100;
// No school has this many pupils: a provider that keeps paging is refused rather than followed forever.
const MAX_RECORDS = 100_000;
const TIMEOUT_MS = 30_000;

/** A provider's refusal or an unreadable answer; the message names the step, never data. */
export class PullError extends Error {}

type Json = Record<string, unknown>;

const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null;

async function jsonOf(response: Response): Promise<Json> {
  const body: unknown = await response.json().catch(() => ({}));
  return isJson(body) ? body : {};
}

// A public provider must not be able to send Haven on to a private address either.
const redirectRule = (settings: OneRosterSettings): 'follow' | 'error' =>
  settings.allowPrivate ? 'follow' : 'error';

/** Refuses a provider address that resolves to a private or local one, unless the operator allows them. */
async function checkAddresses(settings: OneRosterSettings): Promise<void> {
  if (settings.allowPrivate) {
    return;
  }
  for (const [address, name] of [
    [settings.tokenUrl, 'token endpoint'],
    [settings.baseUrl, 'provider'],
  ] as const) {
    if ((await resolvesToPublic(address)) === false) {
      throw new PullError(
        `The OneRoster ${name}'s address is on a private or local network, which this Haven does not reach (the operator can allow it with HAVEN_CONNECTOR_PRIVATE_HOSTS).`,
      );
    }
  }
}

async function accessToken(settings: OneRosterSettings): Promise<string> {
  const basic = Buffer.from(
    `${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`,
  ).toString('base64');
  const response = await fetch(settings.tokenUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: PULL_SCOPES }).toString(),
    redirect: redirectRule(settings),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch(() => {
    throw new PullError('The OneRoster token endpoint could not be reached.');
  });
  const body = await jsonOf(response);
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new PullError(
      `The OneRoster token endpoint refused the client credentials (HTTP ${response.status}).`,
    );
  }
  return body.access_token;
}

async function collection(
  settings: OneRosterSettings,
  token: string,
  resource: string,
  key: string,
  since: Date | undefined,
): Promise<Json[]> {
  const records: Json[] = [];
  for (let offset = 0; offset < MAX_RECORDS; offset += PAGE) {
    const url = new URL(`${settings.baseUrl.replace(/\/$/, '')}/${resource}`);
    url.searchParams.set('limit', String(PAGE));
    url.searchParams.set('offset', String(offset));
    if (since !== undefined) {
      url.searchParams.set('filter', `dateLastModified>'${since.toISOString()}'`);
    }
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      redirect: redirectRule(settings),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }).catch(() => {
      throw new PullError(`The OneRoster provider could not be reached for ${resource}.`);
    });
    if (!response.ok) {
      throw new PullError(`The OneRoster provider answered HTTP ${response.status} for ${resource}.`);
    }
    const body = await jsonOf(response);
    const page: unknown = body[key];
    if (!Array.isArray(page)) {
      throw new PullError(`The OneRoster provider's ${resource} answer has no "${key}" list.`);
    }
    records.push(...page.filter(isJson));
    const total = Number(response.headers.get('x-total-count') ?? Number.NaN);
    if (page.length < PAGE || (Number.isFinite(total) && offset + PAGE >= total)) {
      return records;
    }
  }
  throw new PullError(`The OneRoster provider returned more than ${MAX_RECORDS} ${resource}.`);
}

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
const ref = (value: unknown): string => (isJson(value) ? text(value.sourcedId) : '');
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isJson) : []);

function table(header: string[], rows: Json[], cells: (row: Json) => string[]): string {
  return [header, ...rows.map(cells)].map((row) => `${csvLine(row)}\n`).join('');
}

/** The pulled records as OneRoster 1.2 CSV files (only the columns Haven's reader uses). */
function csvFiles(pulled: Record<string, Json[]>): Map<string, string> {
  const base = ['sourcedId', 'status', 'dateLastModified'];
  const common = (row: Json) => [text(row.sourcedId), text(row.status), text(row.dateLastModified)];
  const userIds = (row: Json) =>
    list(row.userIds)
      .map((id) => `{${text(id.type)}:${text(id.identifier)}}`)
      .join(',');
  return new Map([
    ['manifest.csv', 'propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\n'],
    [
      'users.csv',
      table(
        [
          ...base,
          'userIds',
          'givenName',
          'familyName',
          'preferredFirstName',
          'preferredLastName',
          'identifier',
          'grades',
          'role',
        ],
        pulled.students ?? [],
        (row) => [
          ...common(row),
          userIds(row),
          text(row.givenName),
          text(row.familyName),
          text(row.preferredFirstName),
          text(row.preferredLastName),
          text(row.identifier),
          list(row.grades).map(text).join(','),
          'student',
        ],
      ),
    ],
    [
      'courses.csv',
      table([...base, 'title'], pulled.courses ?? [], (row) => [...common(row), text(row.title)]),
    ],
    [
      'classes.csv',
      table([...base, 'title', 'classCode', 'courseSourcedId'], pulled.classes ?? [], (row) => [
        ...common(row),
        text(row.title),
        text(row.classCode),
        ref(row.course),
      ]),
    ],
    [
      'enrollments.csv',
      table([...base, 'classSourcedId', 'userSourcedId', 'role'], pulled.enrollments ?? [], (row) => [
        ...common(row),
        ref(row.class),
        ref(row.user),
        text(row.role),
      ]),
    ],
    [
      'demographics.csv',
      table([...base, 'birthDate', 'sex'], pulled.demographics ?? [], (row) => [
        ...common(row),
        text(row.birthDate),
        text(row.sex),
      ]),
    ],
  ]);
}

async function zipOf(files: Map<string, string>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of files) {
    zip.addBuffer(Buffer.from(content, 'utf8'), name, { mtime: new Date(0) });
  }
  zip.end();
  const chunks: Buffer[] = [];
  zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(zip.outputStream, 'end');
  return Buffer.concat(chunks);
}

/**
 * Pulls pupils, classes, courses, enrolments and demographics; with `since`, only pupils and
 * enrolments changed after it. Classes, courses and demographics are always pulled whole: a changed
 * enrolment must name its class, and a changed pupil without their demographics row would read as a
 * pupil whose date of birth is unknown. Returns the zip and when the pull started (the next
 * delta's starting point).
 */
export async function pullOneRoster(
  settings: OneRosterSettings,
  since: Date | undefined,
): Promise<{ zip: Buffer; startedAt: Date; pupils: number }> {
  const startedAt = new Date();
  await checkAddresses(settings);
  const token = await accessToken(settings);
  const pulled: Record<string, Json[]> = {
    students: await collection(settings, token, 'students', 'users', since),
    classes: await collection(settings, token, 'classes', 'classes', undefined),
    courses: await collection(settings, token, 'courses', 'courses', undefined),
    enrollments: await collection(settings, token, 'enrollments', 'enrollments', since),
    demographics: await collection(settings, token, 'demographics', 'demographics', undefined),
  };
  return { zip: await zipOf(csvFiles(pulled)), startedAt, pupils: pulled.students?.length ?? 0 };
}
