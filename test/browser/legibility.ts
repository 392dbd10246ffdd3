// The TV's legibility check, run in the page: what a viewer across the room would see wrong.
// Used by the busy-board test (board-legibility.browser.test.ts) and by the real app's board test.

import type { Page } from 'playwright-core';

/** The minimum text size as a share of the screen height (see wallboard/src/global.css). */
export const MIN_TEXT_VH = 0.03;

/**
 * Every problem a viewer would see, as text. Passed as a string: the test runner's transpiler must
 * not wrap anything in helpers the page does not have.
 */
const LEGIBILITY_CHECK = `((minShare) => {
  const minPx = minShare * innerHeight;
  const problems = [];
  const say = (what, el, text) => problems.push(what + ': "' + text.trim().slice(0, 60) + '" in <' + el.tagName.toLowerCase() +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + '>');
  const clips = (el) => {
    const cs = getComputedStyle(el);
    return { x: cs.overflowX !== 'visible', y: cs.overflowY !== 'visible' };
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent || '';
    if (!text.trim()) continue;
    const el = node.parentElement;
    if (!el) continue;
    let rects;
    if (el instanceof SVGElement) {
      const r = el.getBoundingClientRect();
      rects = r.width > 0 ? [r] : [];
    } else {
      const range = document.createRange();
      range.selectNodeContents(node);
      rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    }
    if (rects.length === 0) continue; // not rendered (a row left out whole, a closed branch)
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minPx - 0.5) say('text ' + size.toFixed(1) + 'px, under the minimum ' + minPx.toFixed(1) + 'px', el, text);
    // Glyph boxes of a line-height-1 number overhang their line a little; a cut line shows far more.
    const slackY = 0.2 * size;
    for (let box = el; box; box = box.parentElement) {
      const clip = box === document.documentElement ? { x: true, y: true } : clips(box);
      if (!clip.x && !clip.y) continue;
      const b = box === document.documentElement ? { left: 0, top: 0, right: innerWidth, bottom: innerHeight } : box.getBoundingClientRect();
      for (const r of rects) {
        if (clip.x && (r.left < b.left - 1 || r.right > b.right + 1)) { say('cut at the side', el, text); break; }
        if (clip.y && (r.top < b.top - slackY || r.bottom > b.bottom + slackY)) { say('cut at the top or bottom', el, text); break; }
      }
    }
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el.getClientRects().length === 0) continue;
    const cs = getComputedStyle(el);
    if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth) say('ellipsis', el, el.textContent || '');
    else if (cs.overflowX !== 'visible' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !(el instanceof SVGElement))
      say('content wider than its box (' + el.scrollWidth + ' > ' + el.clientWidth + ')', el, el.textContent || '');
  }
  return [...new Set(problems)];
})`;

/** Every visible text under `minShare` of the screen height, every ellipsis, every line a clipping box cuts. */
export function legibilityProblems(page: Page, minShare = MIN_TEXT_VH): Promise<string[]> {
  return page.evaluate<string[]>(`${LEGIBILITY_CHECK}(${minShare})`);
}
