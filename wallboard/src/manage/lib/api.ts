// The API key of the manager pages: typed into a small form, kept in sessionStorage (gone when the
// tab closes), sent as a Bearer header, never put in a URL. Web login replaces this later.

/** sessionStorage key holding the ingest key. */
export const KEY_STORAGE = 'lead-wallboard.manage.apiKey';

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

/** A refused or failed API call; `refused` means the key is wrong (401/403): ask for it again. */
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

/** GET `path` (same origin) with the key as a Bearer header; the JSON body, or an ApiError with the server's message. */
export async function getJson<T>(path: string, key: string, fetchFn: typeof fetch = fetch, signal?: AbortSignal): Promise<T> {
  const response = await fetchFn(path, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { message?: unknown };
      if (typeof body.message === 'string') message = body.message;
      else if (Array.isArray(body.message)) message = body.message.join('; ');
    } catch {
      /* not JSON */
    }
    throw new ApiError(message, response.status);
  }
  return (await response.json()) as T;
}
