// Floor of a no-change `platon-db plan`: the least a planner must do to look inside each managed
// database, in a plain Node script. One connection per database and one catalog query in each,
// CONCURRENCY at a time. Usage: PLATON_DATABASE_URL=... node connect-each.mjs NAMES.json CONCURRENCY
import { readFileSync } from 'node:fs';
import pg from 'pg';

const names = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const concurrency = Number(process.argv[3]);
const url = process.env.PLATON_DATABASE_URL;
let next = 0;
async function worker() {
  while (next < names.length) {
    const client = new pg.Client({ connectionString: url, database: names[next++] });
    await client.connect();
    await client.query('SELECT extname FROM pg_extension');
    await client.end();
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
