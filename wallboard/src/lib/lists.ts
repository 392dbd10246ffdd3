// Guarding the lists the board renders with keyed each-blocks.

/**
 * The first `max` items of `items` whose `key` has not been seen before, in their original order.
 *
 * Svelte's keyed each-blocks throw on a duplicate key, in production too: one malformed payload
 * would blank a TV until someone reloads it. This makes every rendered list unique and bounded.
 * Cost O(n) in the items scanned (stops once `max` are kept). Empty input gives `[]`.
 */
export function firstUnique<T>(items: readonly T[], key: (item: T) => string, max = Number.POSITIVE_INFINITY): T[] {
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const item of items) {
    if (kept.length >= max) break;
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    kept.push(item);
  }
  return kept;
}
