// Preloaded into the server under test when the benchmark runs with BENCH_PROFILE set
// (`node --import ./test/bench/cpu-profile.mjs dist/server/main.js`): the first SIGUSR2 starts the V8
// CPU profiler, the second stops it and writes the profile to $BENCH_PROFILE_OUT, so the profile
// covers exactly the benchmark's measured window. Nothing else changes in the server.

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const out = process.env.BENCH_PROFILE_OUT;
const session = new Session();
session.connect();
let running = false;

function post(method, params = {}) {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
}

process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    void post('Profiler.enable')
      .then(() => post('Profiler.setSamplingInterval', { interval: 500 }))
      .then(() => post('Profiler.start'));
  } else {
    running = false;
    void post('Profiler.stop').then(({ profile }) => {
      writeFileSync(out, JSON.stringify(profile));
      process.stderr.write(`cpu profile written to ${out}\n`);
    });
  }
});
