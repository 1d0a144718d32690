// The one way the web app talks to Haven's API: same-origin JSON with the session cookie, every failure
// turned into an ApiError carrying the server's message (written for staff) and field errors.

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];
  readonly requestId: string | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: FieldProblem[] = [],
    requestId?: string,
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.requestId = requestId;
  }
}

type Listener = () => void;
const activityListeners = new Set<Listener>();
const signedOutListeners = new Set<Listener>();

/** Every answered request keeps the session alive on the server: the idle warning listens for them. */
export function onApiActivity(listener: Listener): () => void {
  activityListeners.add(listener);
  return () => activityListeners.delete(listener);
}

/** A 401 from any request means the session has ended (idle, expired, or signed out elsewhere). */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function fieldsOf(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap((item: unknown) =>
    isRecord(item) && typeof item.field === 'string' && typeof item.message === 'string'
      ? [{ field: item.field, message: item.message }]
      : [],
  );
}

async function errorFrom(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  if (isRecord(body) && typeof body.message === 'string') {
    return new ApiError(
      response.status,
      typeof body.code === 'string' ? body.code : 'error',
      body.message,
      fieldsOf(body.fields),
      typeof body.requestId === 'string' ? body.requestId : undefined,
    );
  }
  return new ApiError(
    response.status,
    'unavailable',
    response.status >= 500
      ? 'Haven could not answer just now. Please try again in a minute.'
      : 'That request could not be completed.',
  );
}

async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'offline', 'Haven cannot be reached. Check your connection and try again.');
  }
  if (response.status === 401) {
    const error = await errorFrom(response);
    if (error.code === 'unauthenticated') {
      for (const listener of signedOutListeners) {
        listener();
      }
    }
    throw error;
  }
  for (const listener of activityListeners) {
    listener();
  }
  if (!response.ok) {
    throw await errorFrom(response);
  }
  if (response.status === 204 || response.status === 202) {
    const text = await response.text();
    // The API boundary: the server's response schema is the contract (the caller names it from that schema,
    // see api/types.ts); a body-less answer is typed `undefined` by the caller.
    // oxlint-disable-next-line typescript/no-unsafe-type-assertion
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
  // oxlint-disable-next-line typescript/no-unsafe-type-assertion -- the API boundary, as above
  return (await response.json()) as T;
}

/** Typed by the caller from the server's own response schemas (see api/types.ts). */
export const api = {
  get: <T>(path: string) => send<T>('GET', path),
  post: <T>(path: string, body?: unknown) => send<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => send<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => send<T>('PATCH', path, body ?? {}),
  delete: <T = undefined>(path: string) => send<T>('DELETE', path),
};

/** Builds a query string from the defined values only. */
export function withQuery(
  path: string,
  query: Record<string, string | number | boolean | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
