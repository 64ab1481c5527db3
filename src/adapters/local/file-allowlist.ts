/**
 * The local instance's allowlist: the in-memory twin kept in `.platon/allowlist.json`, so that
 * `npm start` plans and applies allowlist changes like a real instance and a second run shows
 * none. Nothing enforces it (the embedded server listens on loopback only); it is a rehearsal,
 * and the plan shows the EC2 calls it stands for (group `sg-local`).
 * Every call reads and rewrites the file; the apply lock keeps runs from interleaving.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Allowlist, IngressRule, NetworkRule } from '../../model/allowlist.js';
import { MemoryAllowlist, type AllowlistSnapshot } from './memory-allowlist.js';
import { writePrivateFileAtomic } from './private-files.js';

export interface FileAllowlistOptions {
  readonly path: string;
  readonly groupIds: readonly string[];
  readonly rulesPerGroup: number;
}

export class FileAllowlist implements Allowlist {
  constructor(private readonly options: FileAllowlistOptions) {}

  async list(): Promise<IngressRule[]> {
    return (await this.load()).list();
  }

  authorize(rule: NetworkRule): Promise<void> {
    return this.change((memory) => memory.authorize(rule));
  }

  revoke(rule: { readonly groupId: string; readonly ruleId: string }): Promise<void> {
    return this.change((memory) => memory.revoke(rule));
  }

  setDescription(rule: NetworkRule & { readonly ruleId: string }): Promise<void> {
    return this.change((memory) => memory.setDescription(rule));
  }

  private async change(run: (memory: MemoryAllowlist) => Promise<void>): Promise<void> {
    const memory = await this.load();
    await run(memory);
    await mkdir(dirname(this.options.path), { recursive: true });
    await writePrivateFileAtomic(this.options.path, `${JSON.stringify(memory.snapshot(), null, 2)}\n`);
  }

  private async load(): Promise<MemoryAllowlist> {
    const { groupIds, rulesPerGroup } = this.options;
    let initial: AllowlistSnapshot | undefined;
    try {
      initial = JSON.parse(await readFile(this.options.path, 'utf8')) as AllowlistSnapshot;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`cannot read the local allowlist ${this.options.path} (${reason}); delete it to start the rehearsal over`);
      }
    }
    return new MemoryAllowlist({ groupIds, rulesPerGroup, ...(initial ? { initial } : {}) });
  }
}
