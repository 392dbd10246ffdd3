// Reads a V8 .cpuprofile (as written by cpu-profile.mjs or `node --cpu-prof`) and prints where the
// time went: self time by package / file, the top functions by self time, and the application's own
// functions (dist/server) by inclusive time. `tsx test/bench/cpu-profile-summary.ts FILE.cpuprofile`.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, a file of the app, node itself, or a V8 pseudo-frame. */
function place(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const app = /\/(dist\/.*)$/.exec(url);
  if (app) return app[1]!;
  return url;
}

export function summarizeProfile(path: string, top = 15): string[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0);
  const idleMs = [...self.entries()].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, ms]) => a + ms, 0);
  const busyMs = totalMs - idleMs;

  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    add(byPlace, place(url, functionName), ms);
    add(byFunction, `${functionName || '(anonymous)'} ${place(url, functionName)}:${lineNumber + 1}`, ms);
  }

  // Inclusive time of the app's own functions: each sample counts once for every distinct app frame on its stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!/\/dist\/server\//.test(url)) continue;
      const key = `${functionName || '(anonymous)'} ${place(url, functionName)}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(inclusive, key, ms);
    }
  }

  const pct = (ms: number) => `${((100 * ms) / busyMs).toFixed(1).padStart(5)}%`;
  const list = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, ms]) => `    ${pct(ms)}  ${ms.toFixed(0).padStart(6)} ms  ${key}`);
  return [
    `  profile ${path}: ${(totalMs / 1000).toFixed(1)} s sampled, main thread busy ${(busyMs / 1000).toFixed(1)} s (${((100 * busyMs) / totalMs).toFixed(0)}%); shares below are of busy time`,
    '  self time by package / file:',
    ...list(byPlace, top),
    '  self time by function:',
    ...list(byFunction, top),
    "  inclusive time of the server's own functions (dist/server):",
    ...list(inclusive, top),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of summarizeProfile(process.argv[2]!, Number(process.argv[3] ?? 20))) console.log(line);
}
