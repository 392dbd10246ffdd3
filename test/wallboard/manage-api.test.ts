// The manager pages' key handling and API calls.

import { ApiError, forgetKey, getJson, KEY_STORAGE, readKey, saveKey } from '../../wallboard/src/manage/lib/api.js';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), map };
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
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => { throw new Error('denied'); } };
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
