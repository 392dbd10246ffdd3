// Preloaded into the server under test when the benchmark runs with BENCH_PROFILE set
// (`node --import ./test/bench/cpu-profile.mjs dist/server/main.js`): the first SIGWINCH starts the V8
// CPU profiler, the second stops it and writes the profile to $BENCH_PROFILE_OUT, so the profile
// covers exactly the benchmark's measured window; the event-loop delay over that window goes to
// $BENCH_PROFILE_OUT.eventloop.json. Nothing else changes in the server. (SIGWINCH, because
// NestJS's enableShutdownHooks() shuts the app down on SIGUSR2, and SIGUSR1 opens the inspector.)

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const out = process.env.BENCH_PROFILE_OUT;
const session = new Session();
session.connect();
let running = false;
/** Event-loop delay over the same window: how long a ready callback (a request, a send) waited for the thread. */
let delay = null;

function post(method, params = {}) {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
}

process.on('SIGWINCH', () => {
  if (!running) {
    running = true;
    delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    void post('Profiler.enable')
      .then(() => post('Profiler.setSamplingInterval', { interval: 500 }))
      .then(() => post('Profiler.start'));
  } else {
    running = false;
    delay.disable();
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    writeFileSync(
      `${out}.eventloop.json`,
      JSON.stringify({ p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean) }),
    );
    void post('Profiler.stop').then(({ profile }) => {
      writeFileSync(out, JSON.stringify(profile));
      process.stderr.write(`cpu profile written to ${out}\n`);
    });
  }
});
