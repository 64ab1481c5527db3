/** The harness can show what reaches the statement log, for tests that check no secret does. */
import { afterAll, describe, expect, it } from 'vitest';
import { scramSha256Verifier } from '../../src/adapters/postgres/scram.js';
import { dropPrefixed, superuserUrl, uniquePrefix, withClient } from '../support/postgres.js';
import { loggedAdminUrl, serverLogThrough } from '../support/server-log.js';

const prefix = uniquePrefix(import.meta.url);
afterAll(() => dropPrefixed(prefix));

describe.skipIf(!superuserUrl())('the server log', () => {
  it("holds a logged admin's statements: a verifier, never the password it was made from", async () => {
    const url = await loggedAdminUrl(prefix);
    const password = 'plaintext-Never-logged-42';
    const verifier = scramSha256Verifier(password);
    await withClient(url, (c) => c.query(`CREATE ROLE ${prefix}_user LOGIN PASSWORD '${verifier}'`));
    const log = await serverLogThrough(url);
    expect(log).toContain(`CREATE ROLE ${prefix}_user LOGIN PASSWORD '${verifier}'`);
    expect(log).not.toContain(password);
  });
});
