import { readCsv, MAX_IMPORT_ROWS } from '../server/exchange/csv-import.js';
const csv = 'created_at\n' + '1\n'.repeat(MAX_IMPORT_ROWS + 1) + '"never closed\n' + '2\n'.repeat(200_000);
try { const r = await readCsv(csv); console.log('rows', r.rows.length); } catch (e: any) { console.log(e.getStatus?.(), JSON.stringify(e.getResponse?.() ?? e.message).slice(0, 300)); }
