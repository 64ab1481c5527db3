// Floor of `platon-db apply` of new databases: the plan's own statements (verifiers computed
// beforehand) run as a plain script in a plain Node process: in order, one round trip each, no
// transactions, one connection into each database that has statements of its own.
// Usage: PLATON_DATABASE_URL=... node run-sql.mjs UNITS.json, UNITS = [{database|null, statements}]
import { readFileSync } from 'node:fs';
import pg from 'pg';

const units = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const url = process.env.PLATON_DATABASE_URL;
const inDatabase = (base, database) => Object.assign(new URL(base), { pathname: `/${encodeURIComponent(database)}` }).href;
// pg lets the connection string's database win over a `database` option: name it in the URL.
const connect = async (database) => {
  const client = new pg.Client({ connectionString: database ? inDatabase(url, database) : url });
  await client.connect();
  return client;
};
const maintenance = await connect(null);
for (const unit of units) {
  const client = unit.database ? await connect(unit.database) : maintenance;
  for (const sql of unit.statements) await client.query(sql);
  if (client !== maintenance) await client.end();
}
await maintenance.end();
