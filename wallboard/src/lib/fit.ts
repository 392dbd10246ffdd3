// Lists on the TV show as many whole rows as fit their tile and leave the rest out: a row is never
// cut in half, and a long source name wraps instead of ending in "…". The layout scales with the
// screen, but wrapped names make rows uneven, so the count is measured rather than fixed.

/**
 * How many rows, taken in order, fit above `limit` (the container's bottom edge, in the same
 * coordinates as `bottoms`, each row's bottom edge). Stops at the first row that does not fit, so
 * the kept rows are always a prefix of the list (a ranking never skips a place). `tolerance` absorbs
 * sub-pixel rounding.
 */
export function rowsThatFit(bottoms: readonly number[], limit: number, tolerance = 0.5): number {
  let n = 0;
  while (n < bottoms.length && bottoms[n]! <= limit + tolerance) n++;
  return n;
}

/**
 * Svelte action: hides the children of `node` (rows of a list, `<tr>`s of a `<tbody>`) that would
 * overflow the bottom of `bound` (default: `node` itself). Re-measures when the rows change and when
 * the board is resized. Hidden rows get the `hidden` attribute, so they take no space and are not read.
 */
export function fitRows(node: HTMLElement, bound?: HTMLElement) {
  let box = bound ?? node;
  let frame = 0;
  const fit = () => {
    frame = 0;
    const rows = Array.from(node.children) as HTMLElement[];
    const rect = box.getBoundingClientRect();
    const limit = rect.bottom - (parseFloat(getComputedStyle(box).paddingBottom) || 0);
    // Hiding rows can re-flow the ones kept (a table's columns are sized by every visible row), so
    // measure again until the kept rows fit; each pass keeps fewer, so this ends.
    let keep = rows.length;
    for (let pass = 0; pass < 8; pass++) {
      rows.forEach((row, i) => (row.hidden = i >= keep));
      const fits = rowsThatFit(
        rows.slice(0, keep).map((row) => row.getBoundingClientRect().bottom),
        limit,
      );
      if (fits === keep) break;
      keep = fits;
    }
  };
  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(fit);
  };
  const resize = new ResizeObserver(schedule);
  resize.observe(box);
  // Rows added, removed or re-worded (a count going from 9 to 10 can make a name wrap).
  const mutations = new MutationObserver(schedule);
  mutations.observe(node, { childList: true, subtree: true, characterData: true });
  fit();
  return {
    update(next?: HTMLElement) {
      if (next && next !== box) {
        resize.unobserve(box);
        box = next;
        resize.observe(box);
      }
      schedule();
    },
    destroy() {
      if (frame !== 0) cancelAnimationFrame(frame);
      resize.disconnect();
      mutations.disconnect();
    },
  };
}
