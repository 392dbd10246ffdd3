// Standalone entry for the forecasting CLI: `npx tsx forecasting/cli-main.ts forecast ...`.
// The app's own CLI calls runForecastingCli the same way.
import { runForecastingCli } from './cli.js';

const { exitCode, output } = await runForecastingCli(process.argv.slice(2));
for (const line of output) console.log(line);
process.exitCode = exitCode;
