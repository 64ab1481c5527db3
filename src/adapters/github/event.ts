/**
 * The pull request a workflow run is about, so `pr-comment` needs no `--pr` in Actions.
 * `pull_request` runs check out `refs/pull/N/merge`; the event payload says the same.
 */
import { readFile } from 'node:fs/promises';

type Env = Readonly<Record<string, string | undefined>>;

export async function pullRequestFromEnv(env: Env): Promise<number | undefined> {
  const fromRef = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(env.GITHUB_REF ?? '');
  if (fromRef) return Number(fromRef[1]);
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as { pull_request?: { number?: unknown } };
    const number = event.pull_request?.number;
    return typeof number === 'number' ? number : undefined;
  } catch {
    return undefined;
  }
}
