/**
 * Vault's ACL check for the Vault double (./vault-double.ts), as vault/acl.go does it: pure rules,
 * no HTTP.
 *
 * - A policy is `path "<pattern>" { capabilities = [...] }` stanzas. A pattern is exact, or ends in
 *   `*` (a prefix glob, only at the end), and may have `+` segments (exactly one path segment).
 * - The same pattern in several policies: capabilities are unioned, and `deny` in any of them
 *   leaves only `deny`.
 * - Different patterns: only the one with the highest priority counts (an exact match first, then
 *   the latest first `+`/`*`, then not a prefix, then fewer `+`, then longer), never a union.
 * - Deny by default: no matching pattern, or a pattern without the capability, is "permission denied".
 */

export type Capability = 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny';

/** One policy: pattern -> capabilities, e.g. `{ 'secret/data/platon/rds/*': ['create', 'read'] }`. */
export type Policy = Readonly<Record<string, readonly Capability[]>>;

/** What Vault answers for any ACL refusal (and an unknown or expired token), errors[0] verbatim. */
export const PERMISSION_DENIED = '1 error occurred:\n\t* permission denied\n\n';

interface Candidate {
  /** Index of the first `+` or `*`. */
  readonly firstWildcard: number;
  readonly isPrefix: boolean;
  readonly wildcards: number;
  /** The pattern without its trailing `*`. */
  readonly stem: string;
  readonly capabilities: ReadonlySet<Capability>;
}

export class Acl {
  private readonly rules = new Map<string, Set<Capability>>();

  constructor(policies: readonly Policy[]) {
    for (const policy of policies) {
      for (const [pattern, capabilities] of Object.entries(policy)) {
        const merged = this.rules.get(pattern) ?? new Set<Capability>();
        for (const capability of capabilities) merged.add(capability);
        this.rules.set(pattern, merged.has('deny') ? new Set(['deny']) : merged);
      }
    }
  }

  /**
   * Whether `capability` is granted on `path` (no leading slash, e.g. `secret/data/a/b`). A LIST
   * request's path ends in `/`; Vault then also tries it without, before any wildcard rule.
   */
  allows(path: string, capability: Capability): boolean {
    const granted = this.capabilitiesOn(path, capability === 'list');
    return !granted.has('deny') && granted.has(capability);
  }

  /** The capabilities of the one rule that governs `path` (empty when none matches). */
  capabilitiesOn(path: string, list = false): ReadonlySet<Capability> {
    const trimmed = list ? path.replace(/\/$/, '') : path;
    const exact = this.rules.get(path) ?? this.rules.get(trimmed);
    if (exact) return exact;
    return (trimmed !== path ? this.bestWildcard(trimmed) : undefined) ?? this.bestWildcard(path) ?? new Set();
  }

  private bestWildcard(path: string): ReadonlySet<Capability> | undefined {
    const candidates: Candidate[] = [];
    for (const [pattern, capabilities] of this.rules) {
      const candidate = match(pattern, path, capabilities);
      if (candidate) candidates.push(candidate);
    }
    candidates.sort(byPriority);
    return candidates.at(-1)?.capabilities;
  }
}

function match(pattern: string, path: string, capabilities: ReadonlySet<Capability>): Candidate | undefined {
  const isPrefix = pattern.endsWith('*');
  const stem = isPrefix ? pattern.slice(0, -1) : pattern;
  const plus = stem.indexOf('+');
  const firstWildcard = plus >= 0 ? plus : isPrefix ? stem.length : -1;
  if (firstWildcard < 0) return undefined; // an exact pattern that is not this path
  const want = stem.split('/');
  const have = path.split('/');
  if (have.length < want.length || (!isPrefix && have.length !== want.length)) return undefined;
  let wildcards = 0;
  for (const [i, part] of want.entries()) {
    const last = i === want.length - 1;
    if (part === '+') wildcards++;
    else if (isPrefix && last ? !have[i]!.startsWith(part) : part !== have[i]) return undefined;
  }
  return { firstWildcard, isPrefix, wildcards, stem, capabilities };
}

/** Ascending: the last one wins (vault/acl.go, CheckAllowedFromNonExactPaths). */
function byPriority(a: Candidate, b: Candidate): number {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard - b.firstWildcard;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix ? -1 : 1;
  if (a.wildcards !== b.wildcards) return b.wildcards - a.wildcards;
  if (a.stem.length !== b.stem.length) return a.stem.length - b.stem.length;
  return a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0;
}

/**
 * The `path "..." { capabilities = [...] }` stanzas of HCL policy text (what `vault policy write`
 * takes), e.g. a policy quoted in the README. Comments and other settings are ignored.
 */
export function parsePolicy(hcl: string): Policy {
  const policy: Record<string, Capability[]> = {};
  for (const stanza of hcl.matchAll(/path\s+"([^"]+)"\s*\{([^}]*)\}/g)) {
    const list = /capabilities\s*=\s*\[([^\]]*)\]/.exec(stanza[2]!)?.[1] ?? '';
    policy[stanza[1]!] = [...(policy[stanza[1]!] ?? []), ...[...list.matchAll(/"([a-z]+)"/g)].map((m) => m[1] as Capability)];
  }
  return policy;
}
