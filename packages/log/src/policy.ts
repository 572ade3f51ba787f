import { err, ok, type Result } from '@evenhand/core';
import { bytesEqual, parseDecimal } from './encoding.ts';
import { logError, type LogError } from './errors.ts';
import { formatVerifierKey, parseVerifierKey, SIGNATURE_COSIGNATURE_V1, SIGNATURE_ED25519, type NoteVerifier } from './note.ts';

/**
 * C2SP tlog-policy: `log <vkey> [url]`, `witness <name> <vkey> [url]`,
 * `group <name> all|any|<k> <member>...`, and exactly one `quorum <name|none>`. Names are
 * defined before use, which rules out cycles; `none` is reserved.
 */
export interface PolicyLog {
  readonly key: NoteVerifier;
  readonly url?: string;
}
export interface PolicyWitness {
  readonly name: string;
  readonly key: NoteVerifier;
  readonly url?: string;
}
export interface PolicyGroup {
  readonly name: string;
  readonly threshold: number;
  readonly members: readonly string[];
}
export interface Policy {
  readonly logs: readonly PolicyLog[];
  readonly witnesses: ReadonlyMap<string, PolicyWitness>;
  readonly groups: ReadonlyMap<string, PolicyGroup>;
  /** A witness or group name, or `none`. */
  readonly quorum: string;
}

const LIMIT = 256; // tlog-policy recommends supporting at least 32 of each; this bounds the work.

/** Collects every problem in the policy, not just the first (DEVELOPERS.md "Errors"). */
export function parsePolicy(text: string): Result<Policy, LogError> {
  const problems: string[] = [];
  // tlog-policy "Character set": tab, newline, 0x20–0x7E and bytes ≥ 0x80 only.
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) problems.push('policy: contains a control character other than tab and newline');
  const logs: PolicyLog[] = [];
  const witnesses = new Map<string, PolicyWitness>();
  const groups = new Map<string, PolicyGroup>();
  let quorum: string | undefined;
  const keys: NoteVerifier[] = [];
  const lines = text.split('\n');
  if (lines.length > 4 * LIMIT) return err(logError('POLICY_MALFORMED', `policy: more than ${4 * LIMIT} lines`));
  lines.forEach((raw, i) => {
    const where = `line ${i + 1}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const words = line.split(/[ \t]+/);
    const [keyword, ...args] = words as [string, ...string[]];
    const readKey = (vkey: string, type: number, role: string): NoteVerifier | undefined => {
      const parsed = parseVerifierKey(vkey);
      if (!parsed.ok) {
        problems.push(`${where}: ${parsed.error.message}`);
        return undefined;
      }
      if (parsed.value.type !== type) {
        problems.push(`${where}: a ${role} key must have signature type 0x0${type}, found 0x0${parsed.value.type}`);
        return undefined;
      }
      if (keys.some((known) => bytesEqual(known.publicKey, parsed.value.publicKey))) {
        problems.push(`${where}: duplicate public key (tlog-policy forbids listing a key twice)`);
        return undefined;
      }
      keys.push(parsed.value);
      return parsed.value;
    };
    const defined = (name: string) => witnesses.has(name) || groups.has(name);
    switch (keyword) {
      case 'log': {
        if (args.length < 1 || args.length > 2) return void problems.push(`${where}: expected "log <vkey> [<url>]"`);
        const key = readKey(args[0] as string, SIGNATURE_ED25519, 'log');
        if (key) logs.push(args[1] === undefined ? { key } : { key, url: args[1] });
        return;
      }
      case 'witness': {
        if (args.length < 2 || args.length > 3) return void problems.push(`${where}: expected "witness <name> <vkey> [<url>]"`);
        const name = args[0] as string;
        if (name === 'none' || defined(name)) return void problems.push(`${where}: the name ${name} is reserved or already defined`);
        const key = readKey(args[1] as string, SIGNATURE_COSIGNATURE_V1, 'witness');
        if (key) witnesses.set(name, args[2] === undefined ? { name, key } : { name, key, url: args[2] });
        return;
      }
      case 'group': {
        if (args.length < 3) return void problems.push(`${where}: expected "group <name> all|any|<k> <member>..."`);
        const [name, k, ...members] = args as [string, string, ...string[]];
        if (name === 'none' || defined(name)) return void problems.push(`${where}: the name ${name} is reserved or already defined`);
        const unknown = members.filter((member) => !defined(member));
        if (unknown.length > 0) return void problems.push(`${where}: members must be defined on earlier lines, found ${unknown.join(', ')}`);
        if (new Set(members).size !== members.length) return void problems.push(`${where}: a member may be listed only once`);
        const threshold = k === 'all' ? members.length : k === 'any' ? 1 : parseDecimal(k);
        if (threshold === undefined || threshold < 1 || threshold > members.length) {
          return void problems.push(`${where}: threshold must be all, any or 1 ≤ k ≤ ${members.length}, found ${k}`);
        }
        groups.set(name, { name, threshold, members });
        return;
      }
      case 'quorum': {
        if (args.length !== 1) return void problems.push(`${where}: expected "quorum <name>"`);
        if (quorum !== undefined) return void problems.push(`${where}: a policy has exactly one quorum line`);
        const name = args[0] as string;
        if (name !== 'none' && !defined(name)) return void problems.push(`${where}: quorum ${name} is not defined on an earlier line`);
        quorum = name;
        return;
      }
      default:
        problems.push(`${where}: unknown keyword ${JSON.stringify(keyword)}`);
    }
  });
  if (quorum === undefined) problems.push('policy: missing the quorum line');
  if (logs.length > LIMIT || witnesses.size > LIMIT || groups.size > LIMIT) problems.push(`policy: more than ${LIMIT} logs, witnesses or groups`);
  if (problems.length > 0) return err(logError('POLICY_MALFORMED', problems.join('; ')));
  return ok({ logs, witnesses, groups, quorum: quorum as string });
}

/** Whether the witnesses that cosigned satisfy the policy's quorum (tlog-policy "group"). */
export function quorumSatisfied(policy: Policy, cosigned: ReadonlySet<string>): boolean {
  const memo = new Map<string, boolean>();
  const witnessed = (name: string): boolean => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    let result = false;
    if (policy.witnesses.has(name)) result = cosigned.has(name);
    const group = policy.groups.get(name);
    if (group) result = group.members.filter(witnessed).length >= group.threshold;
    memo.set(name, result);
    return result;
  };
  return policy.quorum === 'none' || witnessed(policy.quorum);
}

/** Renders a policy in tlog-policy text, for tools and tests that write one. */
export function formatPolicy(policy: { logs: readonly PolicyLog[]; witnesses: Iterable<PolicyWitness>; groups?: Iterable<PolicyGroup>; quorum: string }): string {
  const lines: string[] = [];
  for (const log of policy.logs) lines.push(`log ${formatVerifierKey(log.key)}${log.url ? ` ${log.url}` : ''}`);
  for (const witness of policy.witnesses) lines.push(`witness ${witness.name} ${formatVerifierKey(witness.key)}${witness.url ? ` ${witness.url}` : ''}`);
  for (const group of policy.groups ?? []) {
    const k = group.threshold === group.members.length ? 'all' : group.threshold === 1 ? 'any' : String(group.threshold);
    lines.push(`group ${group.name} ${k} ${group.members.join(' ')}`);
  }
  lines.push(`quorum ${policy.quorum}`);
  return `${lines.join('\n')}\n`;
}
