import 'reflect-metadata';
import { openDatabase } from '../server/database/data-source.js';
const ds = await openDatabase({ databaseUrl: process.argv[2], dataDir: '/tmp/x' } as any);
const rows = await ds.query(`SELECT conrelid::regclass AS tbl, conname, contype, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('c','u','f','x') ORDER BY 1,2`);
for (const r of rows) console.log(`${r.tbl}\t${r.conname}\t${r.contype}\t${r.def}`);
const idx = await ds.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname='public' AND indexdef LIKE 'CREATE UNIQUE%' AND indexname NOT LIKE '%pkey'`);
for (const r of idx) console.log(`${r.indexname}\t${r.indexdef}`);
await ds.destroy();
