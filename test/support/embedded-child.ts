/**
 * One startEmbedded in a process of its own, so a test can give it a private temp folder (TMPDIR)
 * and interrupt it: `node bin/run-ts.js test/support/embedded-child.ts` with the options as JSON
 * in PLATON_EMBEDDED_CHILD (the password is in there, not in argv where `ps` shows it). Prints
 * `ready <port>` once started, then stops the server when stdin ends; a failed start prints the
 * error's first line and exits 1.
 */
import { startEmbedded, type EmbeddedOptions } from '../../src/adapters/postgres/embedded.js';

const options = JSON.parse(process.env.PLATON_EMBEDDED_CHILD ?? '{}') as EmbeddedOptions;
try {
  const server = await startEmbedded(options);
  process.stdout.write(`ready ${server.port}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void server.stop().then(() => process.exit(0)));
} catch (error) {
  process.stdout.write(`failed: ${(error as Error).message.split('\n')[0]}\n`);
  process.exitCode = 1;
}
