// How the manager pages reach the API. Two ways in:
// - a web session (the usual one): POST /api/v1/auth/login sets the HttpOnly `lw_session` cookie and
//   answers a CSRF token; every call goes with the cookie (credentials: 'same-origin', no Authorization
//   header) and every non-GET call carries the token as X-CSRF-Token. The token lives in memory only; a
//   reloaded page gets it again from GET /api/v1/auth/me.
// - an ingest API key (for integrators): typed into a small form, kept in sessionStorage (gone when the
//   tab closes), sent as a Bearer header, never put in a URL.

/** sessionStorage key holding the ingest key. */
export const KEY_STORAGE = 'lead-wallboard.manage.apiKey';

export const LOGIN_PATH = '/api/v1/auth/login';
export const ME_PATH = '/api/v1/auth/me';
export const LOGOUT_PATH = '/api/v1/auth/logout';

/** How a call authenticates: the session cookie plus its CSRF token, or an ingest key. */
export type Credentials = { kind: 'session'; csrfToken: string } | { kind: 'key'; key: string };

/** The signed-in user, as GET /api/v1/auth/me and the login answer give it. */
export interface SessionUser {
  id: string;
  practiceId: string;
  email: string;
  displayName: string;
  role: string;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

type KeyStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The stored key, or null (none, blank, or storage unavailable). */
export function readKey(storage: KeyStore | null): string | null {
  try {
    const key = storage?.getItem(KEY_STORAGE)?.trim();
    return key ? key : null;
  } catch {
    return null;
  }
}

/** Stores the trimmed key; answers the key kept, or null when it is blank. */
export function saveKey(storage: KeyStore | null, key: string): string | null {
  const trimmed = key.trim();
  if (!trimmed) return null;
  try {
    storage?.setItem(KEY_STORAGE, trimmed);
  } catch {
    /* private mode: the key lives for this page only */
  }
  return trimmed;
}

export function forgetKey(storage: KeyStore | null): void {
  try {
    storage?.removeItem(KEY_STORAGE);
  } catch {
    /* nothing stored */
  }
}

/** A refused or failed API call; `refused` means the credentials are wrong or gone (401/403): ask again. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
  get refused(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The fetch options of one call. Session: the cookie goes along (same origin), no Authorization header,
 * and X-CSRF-Token on anything but GET/HEAD/OPTIONS. Key: a Bearer header (the cookie is not sent, so
 * a signed-in browser's session cannot mix in). `body` is sent as JSON unless it is already a string.
 */
export function buildRequest(
  credentials: Credentials | null,
  options: { method?: string; body?: unknown; contentType?: string; signal?: AbortSignal } = {},
): RequestInit {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials?.kind === 'key') headers.authorization = `Bearer ${credentials.key}`;
  if (credentials?.kind === 'session' && !SAFE_METHODS.has(method)) headers['x-csrf-token'] = credentials.csrfToken;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  return {
    method,
    headers,
    credentials: credentials?.kind === 'key' ? 'omit' : 'same-origin',
    ...(body !== undefined ? { body } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

async function failure(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
    else if (Array.isArray(body.message)) message = body.message.join('; ');
  } catch {
    /* not JSON */
  }
  return new ApiError(message, response.status);
}

/** One call (same origin): the JSON body (undefined for 204), or an ApiError with the server's message. */
export async function requestJson<T>(
  path: string,
  credentials: Credentials | null,
  options: { method?: string; body?: unknown; contentType?: string; signal?: AbortSignal; fetchFn?: typeof fetch } = {},
): Promise<T> {
  const { fetchFn = fetch, ...rest } = options;
  const response = await fetchFn(path, buildRequest(credentials, rest));
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** GET `path` with the session cookie or the key (a plain string is a key, as before). */
export async function getJson<T>(path: string, credentials: Credentials | string, fetchFn: typeof fetch = fetch, signal?: AbortSignal): Promise<T> {
  const creds: Credentials = typeof credentials === 'string' ? { kind: 'key', key: credentials } : credentials;
  return requestJson<T>(path, creds, { fetchFn, ...(signal ? { signal } : {}) });
}

/** Logs in: the cookie is set by the answer; resolves to the user and the CSRF token, or rejects with the server's message (401, 429...). */
export async function signIn(email: string, password: string, fetchFn: typeof fetch = fetch): Promise<Session> {
  const body = await requestJson<Session & { expiresAt?: string }>(LOGIN_PATH, null, { method: 'POST', body: { email: email.trim(), password }, fetchFn });
  return { user: body.user, csrfToken: body.csrfToken };
}

/** The current session from the cookie, or null when not signed in (401/403). Other failures reject. */
export async function currentSession(fetchFn: typeof fetch = fetch): Promise<Session | null> {
  try {
    const body = await requestJson<Session>(ME_PATH, null, { fetchFn });
    return { user: body.user, csrfToken: body.csrfToken };
  } catch (error) {
    if (error instanceof ApiError && error.refused) return null;
    throw error;
  }
}

/** Ends the session (the server clears the cookie). A session that is already gone counts as signed out. */
export async function signOut(csrfToken: string, fetchFn: typeof fetch = fetch): Promise<void> {
  try {
    await requestJson<void>(LOGOUT_PATH, { kind: 'session', csrfToken }, { method: 'POST', fetchFn });
  } catch (error) {
    if (error instanceof ApiError && error.refused) return;
    throw error;
  }
}
