import { err, ok, partiesLeftInLog, type Result, type State, type Treaty } from '@evenhand/core';
import { bytesEqual } from './encoding.ts';
import { logError, type LogError } from './errors.ts';
import { parseVerifierKey, SIGNATURE_COSIGNATURE_V1 } from './note.ts';
import type { Policy, PolicyGroup, PolicyWitness } from './policy.ts';

/**
 * The witness policy a checkpoint must meet, from the treaty in force at its size (DESIGN.md
 * "Cosignatures": the quorum comes from the treaty; issue 11: a state that joins by
 * amendment brings its witness into the quorum without anyone editing a policy file). Every
 * party's own witness and `neutralQuorum` of the treaty's neutral witnesses must cosign.
 *
 * The configured policy still gives the log key, the witnesses' URLs (over the treaty's, since
 * addresses change more often than treaties), and the quorum while no treaty with a `witnesses` section is in force (the log's
 * opening entries). A verifier's own witness always keeps the key from its own configuration,
 * never the treaty's: otherwise a treaty that substituted it would let someone else's key
 * stand in for the cosignature a state requires of itself (see `ownWitnessKeyProblem`).
 */
export function treatyPolicy(configured: Policy, treaty: Treaty | undefined, ownWitness?: string | null): Result<Policy, LogError> {
  const section = treaty?.witnesses;
  if (!treaty || !section) return ok(configured);
  const problems: string[] = [];
  const witnesses = new Map<string, PolicyWitness>();
  const add = (name: string, vkey: string, url: string | undefined, where: string) => {
    const mine = ownWitness === name ? configured.witnesses.get(name) : undefined;
    const parsed = parseVerifierKey(vkey);
    if (!parsed.ok) return void problems.push(`${where}.key: ${parsed.error.message}`);
    if (parsed.value.type !== SIGNATURE_COSIGNATURE_V1) return void problems.push(`${where}.key: a witness key must be cosignature/v1 (0x04)`);
    if (parsed.value.name !== name) return void problems.push(`${where}.key: the key is named ${parsed.value.name}, not ${name}`);
    // The operator's configuration knows today's network addresses; the treaty's URL is the default.
    const address = configured.witnesses.get(name)?.url ?? url;
    witnesses.set(name, { name, key: mine?.key ?? parsed.value, ...(address === undefined ? {} : { url: address }) });
  };
  treaty.parties.forEach((party, index) => {
    if (!party.witness) problems.push(`parties[${index}].witness: party ${party.id} names no witness`);
    else add(party.id, party.witness.key, party.witness.url, `parties[${index}].witness`);
  });
  section.neutral.forEach((witness, index) => add(witness.name, witness.key, witness.url, `witnesses.neutral[${index}]`));
  if (problems.length > 0) return err(logError('POLICY_MALFORMED', `the treaty in force (version ${treaty.version}) gives no usable witness policy: ${problems.join('; ')}`));
  // A state not yet a party (joining by amendment), or no longer one (its denunciation in effect,
  // quorumTreaty), still requires its own cosignature of what it verifies; its witness is
  // listed, outside the quorum.
  const own = ownWitness ? configured.witnesses.get(ownWitness) : undefined;
  if (own && !witnesses.has(own.name)) witnesses.set(own.name, own);
  const groups: PolicyGroup[] = [{ name: 'treaty-parties', threshold: treaty.parties.length, members: treaty.parties.map((party) => party.id) }];
  if (section.neutralQuorum > 0) {
    groups.push({ name: 'treaty-neutrals', threshold: section.neutralQuorum, members: section.neutral.map((witness) => witness.name) });
    groups.push({ name: 'treaty-quorum', threshold: 2, members: ['treaty-parties', 'treaty-neutrals'] });
  }
  return ok({ logs: configured.logs, witnesses, groups: new Map(groups.map((group) => [group.name, group])), quorum: groups[groups.length - 1]!.name });
}

const withoutLeft = new WeakMap<Treaty, Map<string, Treaty>>();

/**
 * The treaty whose parties' witnesses a checkpoint's quorum requires (issue 17, "its witness
 * leaves the quorum"): the treaty in force, less the parties whose denunciation has taken effect
 * in the log (core `partiesLeftInLog`: an entry dated at or after the effective instant has
 * applied). Such a party stays listed in the treaty itself, for its key and its pending cases.
 * The same object for the same treaty and departures, so that TreatyHistory sees a change only
 * when there is one. Earlier checkpoints keep the quorum of their own size, the party included.
 */
export function quorumTreaty(state: State): Treaty | undefined {
  const treaty = state.treaty;
  if (!treaty) return undefined;
  const left = partiesLeftInLog(state);
  if (left.length === 0) return treaty;
  const key = [...left].sort().join(',');
  const cached = withoutLeft.get(treaty)?.get(key);
  if (cached) return cached;
  const reduced: Treaty = { ...treaty, parties: treaty.parties.filter((party) => !left.includes(party.id)) };
  withoutLeft.set(treaty, (withoutLeft.get(treaty) ?? new Map<string, Treaty>()).set(key, reduced));
  return reduced;
}

/**
 * The treaty the quorum follows after each size of the log (`quorumTreaty`), for checkpoints
 * older than the head: it changes only at an adoption or when a denunciation takes effect, so
 * the list of changes stays as short as the treaty's history, whatever the log's length.
 */
export class TreatyHistory {
  private readonly changes: { size: number; treaty: Treaty | undefined }[] = [];

  /** Records the state after an entry was applied (its `size` counts the entries so far). */
  observe(state: State): void {
    const last = this.changes[this.changes.length - 1];
    const treaty = quorumTreaty(state);
    if (last?.treaty === treaty) return;
    this.changes.push({ size: state.size, treaty });
  }

  /** The changes, for a replay snapshot (replay-snapshot.ts). */
  toData(): { size: number; treaty: Treaty | undefined }[] {
    return this.changes.map((change) => ({ ...change }));
  }

  /**
   * Takes the changes of a checked snapshot. The last one is replaced by the treaty `state`
   * yields, when equal, so that `observe` keeps recognising it (it compares by identity).
   */
  load(changes: readonly { readonly size: number; readonly treaty: Treaty | undefined }[], state: State): void {
    this.changes.length = 0;
    for (const change of changes) this.changes.push({ size: change.size, treaty: change.treaty });
    const last = this.changes[this.changes.length - 1];
    const current = quorumTreaty(state);
    if (last && JSON.stringify(last.treaty) === JSON.stringify(current)) last.treaty = current;
  }

  /** The treaty in force once the first `size` entries have applied, less the parties that had left by then (`quorumTreaty`). */
  at(size: number): Treaty | undefined {
    for (let i = this.changes.length - 1; i >= 0; i--) if (this.changes[i]!.size <= size) return this.changes[i]!.treaty;
    return undefined;
  }
}

/**
 * The treaty names `ownWitness`'s key: it must be the one this state holds, or cosignatures
 * "by" it were made by someone else. Undefined when it is, or when the treaty names none.
 */
export function ownWitnessKeyProblem(configured: Policy, treaty: Treaty | undefined, ownWitness: string): string | undefined {
  const named = treaty?.witnesses ? treaty.parties.find((party) => party.id === ownWitness)?.witness?.key : undefined;
  const held = configured.witnesses.get(ownWitness)?.key;
  if (named === undefined || held === undefined) return undefined;
  const parsed = parseVerifierKey(named);
  if (parsed.ok && bytesEqual(parsed.value.publicKey, held.publicKey)) return undefined;
  return `the treaty in force (version ${treaty!.version}) gives ${ownWitness}'s witness a key other than the one ${ownWitness} holds: cosignatures "by ${ownWitness}" under it would not be ${ownWitness}'s`;
}

/**
 * The first of a verifier's two checks of a checkpoint: the log key signed it and, when
 * `ownWitness` is given, this state's own witness cosigned it. The quorum, which depends on
 * the treaty in force at the checkpoint's size, is checked once the entries up to that size
 * have been verified and replayed (`treatyPolicy`).
 */
export function logAndOwnWitness(configured: Policy, ownWitness: string | null): Policy {
  const own = ownWitness === null ? undefined : configured.witnesses.get(ownWitness);
  return { logs: configured.logs, witnesses: new Map(own ? [[own.name, own]] : []), groups: new Map(), quorum: 'none' };
}

/**
 * Every witness the exchange asks to cosign: those the quorum requires, those of its own
 * configuration, and those of states named by an amendment still being ratified. A state
 * joining by amendment must follow the log before it is a party (its gateway requires its own
 * cosignature of everything it verifies), so its witness is asked from the proposal on and
 * required from the adoption on. Asking more witnesses than the quorum needs costs one
 * request each and never lowers the quorum.
 */
export function witnessesToAsk(required: Policy, configured: Policy, state: State): PolicyWitness[] {
  const out = new Map<string, PolicyWitness>();
  const add = (witness: PolicyWitness) => {
    if (!out.has(witness.name) && witness.url !== undefined) out.set(witness.name, witness);
  };
  for (const witness of required.witnesses.values()) add(witness);
  for (const witness of configured.witnesses.values()) add(witness);
  for (const proposal of state.proposals) {
    for (const party of proposal.treaty.parties) {
      const url = configured.witnesses.get(party.id)?.url ?? party.witness?.url;
      const key = party.witness ? parseVerifierKey(party.witness.key) : undefined;
      if (url !== undefined && key?.ok) add({ name: party.id, key: key.value, url });
    }
  }
  return [...out.values()];
}
