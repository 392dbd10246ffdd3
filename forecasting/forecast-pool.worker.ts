// Worker thread of ForecastPool: runs forecastPractice for each job posted and answers with the
// result (or the error's message). Imports only the library.
import { parentPort } from 'node:worker_threads';
import { forecastPractice, type PracticeForecastInput } from './practice-forecast.js';

parentPort?.on('message', (message: { id: number; input: PracticeForecastInput }) => {
  try {
    parentPort?.postMessage({ id: message.id, result: forecastPractice(message.input) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
