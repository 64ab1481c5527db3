// Floor of a no-change `platon-db plan`: the least a planner must do to look inside each managed
// database, in a plain Node script. One connection per database and one catalog query in each,
// CONCURRENCY at a time. Usage: PLATON_DATABASE_URL=... node connect-each.mjs NAMES.json CONCURRENCY
import { readFileSync } from 'node:fs';
import pg from 'pg';

const names = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const concurrency = Number(process.argv[3]);
const url = process.env.PLATON_DATABASE_URL;
// pg lets the connection string's database win over a `database` option: name it in the URL.
const inDatabase = (base, database) => Object.assign(new URL(base), { pathname: `/${encodeURIComponent(database)}` }).href;
let next = 0;
async function worker() {
  while (next < names.length) {
    const name = names[next++];
    const client = new pg.Client({ connectionString: inDatabase(url, name) });
    await client.connect();
    const { rows } = await client.query('SELECT current_database() AS db, extname FROM pg_extension');
    if (rows[0].db !== name) throw new Error(`asked for ${name}, connected to ${rows[0].db}`); // a floor that skips the work is no floor
    await client.end();
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
