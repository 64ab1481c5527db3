// Types of ./build.js, for the TypeScript that imports it (test/support/global-setup.ts).
/** The bundle's main module (file URL) of the checkout at `root`, or undefined when it is missing or older than its sources. */
export function currentBuild(root?: string): string | undefined;
/** Builds dist/cli/ of the checkout at `root`; resolves to the main module's path relative to it. */
export function build(root?: string): Promise<string>;
