import { firstUnique } from '../../wallboard/src/lib/lists.js';

describe('firstUnique', () => {
  const byId = (x: { id: string }) => x.id;
  it('keeps order, drops repeated keys, and stops at max', () => {
    const items = [{ id: 'a' }, { id: 'b' }, { id: 'a' }, { id: 'c' }, { id: 'd' }];
    expect(firstUnique(items, byId).map(byId)).toEqual(['a', 'b', 'c', 'd']);
    expect(firstUnique(items, byId, 3).map(byId)).toEqual(['a', 'b', 'c']);
  });
  it('gives an empty list for empty input or max 0', () => {
    expect(firstUnique([], byId)).toEqual([]);
    expect(firstUnique([{ id: 'a' }], byId, 0)).toEqual([]);
  });
});
