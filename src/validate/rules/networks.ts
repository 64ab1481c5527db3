/**
 * Allowlist networks. Every external CIDR becomes an inbound rule on the instance's security group
 * and opens the whole instance (RDS has no per-database network rules), so a team may add only
 * public networks no broader than the instance's policy. Baseline networks (office, VPN) are
 * Platon's and may be private; they get the syntax checks only.
 */
import { contains, hostBitsHint, nonRoutable, parseCidr, type Cidr } from '../cidr.js';
import type { DatabaseDraft, InstanceDraft, NetworkDraft } from '../drafts.js';
import { error, warning, withHint, type Finding } from '../finding.js';

export interface CheckedNetwork {
  readonly draft: NetworkDraft;
  readonly cidr: Cidr;
}

/** Whether a network, written into entry `index` of the list, would draw no error. */
type Acceptable = (cidr: Cidr, index: number) => boolean;

/** Syntax, host bits, /0 and duplicates: the checks every network gets. Returns what parsed. */
function checkSyntax(file: string, entries: readonly NetworkDraft[], findings: Finding[], acceptable: Acceptable): CheckedNetwork[] {
  const checked: CheckedNetwork[] = [];
  const seen = new Map<string, number>();
  entries.forEach((draft, i) => {
    if (draft.cidr === undefined) return;
    const at = { path: [...draft.path, 'cidr'], anchor: 'value' as const };
    const parsed = parseCidr(draft.cidr.trim());
    if (!parsed.ok) {
      const { code, message, meant } = parsed.problem;
      // A suggestion that the next run refuses (too broad, private, listed already) is no help.
      const hint = meant ? hostBitsHint(ok(meant.network, i), ok(meant.host, i)) : parsed.problem.hint;
      findings.push(error(file, code, message, { ...at, ...withHint(hint) }));
      return;
    }
    const { cidr } = parsed;
    if (cidr.prefix === 0) {
      findings.push(error(file, 'cidr.all-addresses', `${cidr.canonical} allows every address on the internet`, { ...at, hint: 'list the networks your clients really connect from' }));
      return;
    }
    const first = seen.get(cidr.canonical);
    if (first !== undefined) {
      findings.push(error(file, 'cidr.duplicate', `${cidr.canonical} is already listed as entry ${first + 1}`, { ...at, hint: 'remove one of them' }));
      return;
    }
    seen.set(cidr.canonical, i);
    checked.push({ draft, cidr });
  });
  return checked;

  function ok(cidr: Cidr, index: number): Cidr | undefined {
    return cidr.prefix > 0 && !listedElsewhere(entries, cidr, index) && acceptable(cidr, index) ? cidr : undefined;
  }
}

function listedElsewhere(entries: readonly NetworkDraft[], cidr: Cidr, index: number): boolean {
  return parsedNetworks(entries).some(({ draft, cidr: other }) => draft !== entries[index] && other.canonical === cidr.canonical);
}

export function baselineNetworkRules(instance: InstanceDraft): Finding[] {
  const findings: Finding[] = [];
  // Baseline networks are Platon's and may be private or broad: only syntax and duplicates apply.
  checkSyntax(instance.file, instance.baseline, findings, () => true);
  return findings;
}

export function externalNetworkRules(db: DatabaseDraft, instance: InstanceDraft | undefined): Finding[] {
  const findings: Finding[] = [];
  const acceptable: Acceptable = (cidr) => !nonRoutable(cidr) && (instance === undefined || broaderThanPolicy(cidr, instance) === undefined);
  const checked = checkSyntax(db.file, db.external, findings, acceptable);
  const baseline = instance ? parsedNetworks(instance.baseline) : [];
  for (const [i, { draft, cidr }] of checked.entries()) {
    const at = { path: [...draft.path, 'cidr'], anchor: 'value' as const };
    const special = nonRoutable(cidr);
    if (special) {
      findings.push(
        error(db.file, 'cidr.non-routable', `${cidr.canonical} ${special.relation}; no client on the internet connects from there`, {
          ...at,
          hint: 'list the public network your clients connect from (ask their network team); office and VPN access is already in the baseline',
        }),
      );
      continue;
    }
    const tooBroad = instance ? broaderThanPolicy(cidr, instance) : undefined;
    if (tooBroad !== undefined) {
      const addresses = cidr.family === 'ipv4' ? ` (${(2 ** (32 - cidr.prefix)).toLocaleString('en')} addresses)` : '';
      findings.push(
        error(db.file, 'cidr.too-broad', `${cidr.canonical}${addresses} is broader than instance ${instance!.name ?? instance!.stem} allows: ${cidr.family === 'ipv4' ? 'IPv4' : 'IPv6'} networks must be /${tooBroad} or narrower`, {
          ...at,
          hint: 'list the smaller networks your clients really use',
        }),
      );
      continue;
    }
    const inBaseline = baseline.find((b) => contains(b.cidr, cidr));
    if (inBaseline) {
      findings.push(
        warning(db.file, 'cidr.in-baseline', `${cidr.canonical} is already reachable through the baseline network ${inBaseline.cidr.canonical} (${inBaseline.draft.description ?? 'baseline'})`, {
          ...at,
          hint: 'remove this entry; every database has the baseline networks',
        }),
      );
      continue;
    }
    const wider = checked.find((other, j) => j !== i && contains(other.cidr, cidr));
    if (wider) {
      findings.push(warning(db.file, 'cidr.overlap', `${cidr.canonical} lies within ${wider.cidr.canonical}, listed too; one rule is enough`, { ...at, hint: 'remove the narrower entry' }));
    }
  }
  return findings;
}

/** The policy's minimum prefix length when `cidr` is broader than it allows. */
function broaderThanPolicy(cidr: Cidr, instance: InstanceDraft): number | undefined {
  const min = cidr.family === 'ipv4' ? instance.minIpv4PrefixLength : instance.minIpv6PrefixLength;
  return min !== undefined && cidr.prefix < min ? min : undefined;
}

/** The networks of a list that parse, without reporting (for rules that only need the values). */
export function parsedNetworks(entries: readonly NetworkDraft[]): CheckedNetwork[] {
  return entries.flatMap((draft) => {
    const parsed = draft.cidr === undefined ? undefined : parseCidr(draft.cidr.trim());
    return parsed?.ok && parsed.cidr.prefix > 0 ? [{ draft, cidr: parsed.cidr }] : [];
  });
}
