// The manager pages' API calls: the web session (cookie + CSRF token) and the API key for integrators.

import {
  ApiError,
  buildRequest,
  currentSession,
  forgetKey,
  getJson,
  KEY_STORAGE,
  readKey,
  requestJson,
  saveKey,
  signIn,
  signOut,
} from '../../wallboard/src/manage/lib/api.js';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

describe('the API key in sessionStorage', () => {
  it('saves a trimmed key, reads it back, and forgets it', () => {
    const storage = memoryStorage();
    expect(readKey(storage)).toBeNull();
    expect(saveKey(storage, '  lw_ingest_abc \n')).toBe('lw_ingest_abc');
    expect(storage.map.get(KEY_STORAGE)).toBe('lw_ingest_abc');
    expect(readKey(storage)).toBe('lw_ingest_abc');
    forgetKey(storage);
    expect(readKey(storage)).toBeNull();
  });
  it('ignores a blank key and a storage that throws', () => {
    const storage = memoryStorage();
    expect(saveKey(storage, '   ')).toBeNull();
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(readKey(broken)).toBeNull();
    expect(saveKey(broken, 'k')).toBe('k');
    expect(() => forgetKey(broken)).not.toThrow();
  });
});

describe('getJson', () => {
  it('sends the key as a Bearer header, never in the URL', async () => {
    const calls: Array<[string, RequestInit | undefined]> = [];
    const fetchFn = (async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response(JSON.stringify({ ok: 1 }), { status: 200 });
    }) as typeof fetch;
    await expect(getJson('/api/v1/staffing?x=1', 'secret', fetchFn)).resolves.toEqual({ ok: 1 });
    expect(calls[0]![0]).toBe('/api/v1/staffing?x=1');
    expect((calls[0]![1]!.headers as Record<string, string>).authorization).toBe('Bearer secret');
  });
  it('turns a 401 into a refused ApiError with the server message', async () => {
    const fetchFn = (async () => new Response(JSON.stringify({ statusCode: 401, message: 'invalid or revoked ingest key' }), { status: 401 })) as typeof fetch;
    const error = await getJson('/x', 'bad', fetchFn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).refused).toBe(true);
    expect((error as ApiError).message).toBe('invalid or revoked ingest key');
  });
});

/** A fetch that records its calls and answers from `reply`. */
function recorder(reply: (url: string, init: RequestInit) => Response = () => new Response(JSON.stringify({ ok: 1 }), { status: 200 })) {
  const calls: Array<{ url: string; init: RequestInit; headers: Record<string, string> }> = [];
  const fetchFn = (async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init, headers: { ...(init.headers as Record<string, string>) } });
    return reply(url, init);
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe('buildRequest', () => {
  const session = { kind: 'session', csrfToken: 'csrf-123' } as const;
  it('session GET: the cookie goes along, no Authorization header, no CSRF header', () => {
    const init = buildRequest(session);
    expect(init.method).toBe('GET');
    expect(init.credentials).toBe('same-origin');
    const headers = init.headers as Record<string, string>;
    expect(headers.authorization).toBeUndefined();
    expect(headers['x-csrf-token']).toBeUndefined();
    expect(init.body).toBeUndefined();
  });
  it('session non-GET: X-CSRF-Token, still no Authorization header, JSON body', () => {
    for (const method of ['POST', 'put', 'PATCH', 'DELETE']) {
      const init = buildRequest(session, { method, body: { a: 1 } });
      const headers = init.headers as Record<string, string>;
      expect(init.method).toBe(method.toUpperCase());
      expect(init.credentials).toBe('same-origin');
      expect(headers['x-csrf-token']).toBe('csrf-123');
      expect(headers.authorization).toBeUndefined();
      expect(headers['content-type']).toBe('application/json');
      expect(init.body).toBe('{"a":1}');
    }
    expect((buildRequest(session, { method: 'HEAD' }).headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });
  it('a string body keeps its content type (a CSV import)', () => {
    const init = buildRequest(session, { method: 'POST', body: 'a,b\n1,2', contentType: 'text/csv' });
    expect(init.body).toBe('a,b\n1,2');
    expect((init.headers as Record<string, string>)['content-type']).toBe('text/csv');
  });
  it('key mode: a Bearer header on every method, no CSRF header, no cookie', () => {
    for (const method of ['GET', 'POST']) {
      const init = buildRequest({ kind: 'key', key: 'lwk_abc' }, { method });
      const headers = init.headers as Record<string, string>;
      expect(headers.authorization).toBe('Bearer lwk_abc');
      expect(headers['x-csrf-token']).toBeUndefined();
      expect(init.credentials).toBe('omit');
    }
  });
  it('passes the abort signal on', () => {
    const controller = new AbortController();
    expect(buildRequest(session, { signal: controller.signal }).signal).toBe(controller.signal);
  });
});

describe('requestJson and getJson with a session', () => {
  it('GET with the cookie only, the path untouched', async () => {
    const { calls, fetchFn } = recorder();
    await expect(getJson('/api/v1/staffing?staff=3', { kind: 'session', csrfToken: 't' }, fetchFn)).resolves.toEqual({ ok: 1 });
    expect(calls[0]!.url).toBe('/api/v1/staffing?staff=3');
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect(calls[0]!.headers.authorization).toBeUndefined();
    expect(calls[0]!.headers['x-csrf-token']).toBeUndefined();
  });
  it('POST sends the CSRF token; a 204 resolves to undefined', async () => {
    const { calls, fetchFn } = recorder(() => new Response(null, { status: 204 }));
    await expect(requestJson('/api/v1/x', { kind: 'session', csrfToken: 't' }, { method: 'POST', fetchFn })).resolves.toBeUndefined();
    expect(calls[0]!.headers['x-csrf-token']).toBe('t');
  });
  it('a 403 without CSRF token is a refusal with the server message; a 422 array message is joined', async () => {
    const forbidden = recorder(() => new Response(JSON.stringify({ message: 'missing or wrong X-CSRF-Token header' }), { status: 403 }));
    const error = (await requestJson('/x', { kind: 'session', csrfToken: 't' }, { method: 'POST', fetchFn: forbidden.fetchFn }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.refused).toBe(true);
    expect(error.message).toBe('missing or wrong X-CSRF-Token header');
    const invalid = recorder(() => new Response(JSON.stringify({ message: ['a', 'b'] }), { status: 422 }));
    const second = (await requestJson('/x', null, { fetchFn: invalid.fetchFn }).catch((e: unknown) => e)) as ApiError;
    expect(second.refused).toBe(false);
    expect(second.message).toBe('a; b');
  });
});

describe('signIn, currentSession, signOut', () => {
  const user = { id: 'u1', practiceId: 'p1', email: 'm@example.com', displayName: 'm', role: 'manager' };
  it('signIn posts email and password as JSON with the cookie and answers the user and CSRF token', async () => {
    const { calls, fetchFn } = recorder(() => new Response(JSON.stringify({ user, csrfToken: 'c1', expiresAt: '2026-12-04T00:00:00.000Z' }), { status: 200 }));
    await expect(signIn(' m@example.com ', 'pw', fetchFn)).resolves.toEqual({ user, csrfToken: 'c1' });
    expect(calls[0]!.url).toBe('/api/v1/auth/login');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ email: 'm@example.com', password: 'pw' });
    expect(calls[0]!.headers.authorization).toBeUndefined();
  });
  it('signIn rejects with the server message on 401 and 429', async () => {
    for (const [status, message] of [
      [401, 'wrong email or password, or too many failed attempts: try again later'],
      [429, 'too many login attempts: wait a minute and try again'],
    ] as const) {
      const { fetchFn } = recorder(() => new Response(JSON.stringify({ statusCode: status, message }), { status }));
      const error = (await signIn('m@example.com', 'bad', fetchFn).catch((e: unknown) => e)) as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error.status).toBe(status);
      expect(error.message).toBe(message);
    }
  });
  it('currentSession: the session from /auth/me, null when not signed in, a rejection on other failures', async () => {
    const ok = recorder(() => new Response(JSON.stringify({ user, csrfToken: 'c2' }), { status: 200 }));
    await expect(currentSession(ok.fetchFn)).resolves.toEqual({ user, csrfToken: 'c2' });
    expect(ok.calls[0]!.url).toBe('/api/v1/auth/me');
    expect(ok.calls[0]!.init.credentials).toBe('same-origin');
    const out = recorder(() => new Response(JSON.stringify({ message: 'not authenticated' }), { status: 401 }));
    await expect(currentSession(out.fetchFn)).resolves.toBeNull();
    const down = recorder(() => new Response('oops', { status: 502, statusText: 'Bad Gateway' }));
    await expect(currentSession(down.fetchFn)).rejects.toThrow('502 Bad Gateway');
  });
  it('signOut posts with the CSRF token; an already ended session counts as signed out', async () => {
    const ok = recorder(() => new Response(null, { status: 204 }));
    await expect(signOut('c3', ok.fetchFn)).resolves.toBeUndefined();
    expect(ok.calls[0]!.url).toBe('/api/v1/auth/logout');
    expect(ok.calls[0]!.init.method).toBe('POST');
    expect(ok.calls[0]!.headers['x-csrf-token']).toBe('c3');
    expect(ok.calls[0]!.headers.authorization).toBeUndefined();
    const gone = recorder(() => new Response(JSON.stringify({ message: 'session expired' }), { status: 401 }));
    await expect(signOut('c3', gone.fetchFn)).resolves.toBeUndefined();
    const down = recorder(() => new Response('oops', { status: 500, statusText: 'Server Error' }));
    await expect(signOut('c3', down.fetchFn)).rejects.toThrow('500 Server Error');
  });
});
