/**
 * `evenhand verify --log <dir> --policy <file> --as <party>`: audits a log without trusting
 * the exchange (issue 3). It verifies the checkpoint and its witness quorum (the party's
 * own witness required), its consistency with the checkpoint accepted on the last run,
 * every entry's signature and author chain, replays the entries through the treaty rules
 * and prints the recomputed statistics. Exit codes: 0 verified, 1 verification failed,
 * 2 unreadable input. On a split view both signed checkpoints are kept as evidence.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { trustCertificates } from '@evenhand/server/tls';
import { join } from 'node:path';
import { isoTime, statistics } from '@evenhand/core';
import { parsePolicy, parseVerifierKey, type NoteVerifier, type Policy } from '@evenhand/log';
import { CliError } from '../cli-error.ts';
import { progressReporter } from '../progress.ts';
import { openLogSource, readText } from '../read-input.ts';
import { renderStatistics } from '../render/state-report.ts';
import { readReplay, writeReplay, type KeptReplay, type ReplayBinding } from '../verify/replay-file.ts';
import { EVENHAND_VERSION } from '../version.ts';
import { MirrorWriter, readState, saveEvidence, writeState } from '../verify/state-file.ts';
import { verifyLog, type VerifyReport } from '../verify/verify-log.ts';
import { compareViews } from '../verify/view-check.ts';

export interface VerifyOptions {
  readonly log: string;
  readonly policy: string;
  readonly as: string;
  readonly state?: string;
  readonly evidence?: string;
  readonly mirror?: string;
  readonly key?: readonly string[];
  readonly keyHistory?: string;
  /** A PEM file of the CA the HTTPS servers chain to (issue 16). */
  readonly ca?: string;
  readonly now?: number;
  readonly maxAge?: number;
  readonly receipts?: string;
  readonly peers?: boolean;
  readonly progress?: boolean;
  /** Ignore the replay kept from the last run: check and replay every entry. */
  readonly fullReplay?: boolean;
}


/** The policy file, parsed, and its text's SHA-256 (what a kept replay is bound to, replay-file.ts). */
function readPolicy(path: string): { readonly policy: Policy; readonly digest: string } {
  const text = readText(path, 'policy file');
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new CliError(`${path} is not a valid tlog-policy: ${parsed.error.message}`, 2);
  return { policy: parsed.value, digest: createHash('sha256').update(text).digest('hex') };
}

/** The party's entry keys: each --key, and every key line of --key-history (as a gateway keeps it). */
function readPartyKeys(options: VerifyOptions): NoteVerifier[] {
  const out: NoteVerifier[] = [];
  const add = (vkey: string, where: string) => {
    const parsed = parseVerifierKey(vkey);
    if (!parsed.ok) throw new CliError(`${where}: ${parsed.error.message}`, 2);
    if (parsed.value.name !== options.as) throw new CliError(`${where}: the key is named ${parsed.value.name}, not ${options.as} (--as)`, 2);
    out.push(parsed.value);
  };
  for (const vkey of options.key ?? []) add(vkey, '--key');
  if (options.keyHistory !== undefined) {
    readText(options.keyHistory, 'key history').split('\n').forEach((raw, index) => {
      const line = raw.trim();
      if (line !== '' && !line.startsWith('#')) add(line, `${options.keyHistory}, line ${index + 1}`);
    });
  }
  return out;
}

function renderReport(report: VerifyReport, party: string, now: number): string {
  const { checkpoint, cosignatures } = report.checkpoint;
  const lines = [
    `Checkpoint ${checkpoint.origin} at size ${checkpoint.size}: signed by the log, cosigned by ${cosignatures.map((c) => c.witness).join(', ')} (quorum met, ${party}'s own witness present).`,
    report.previousSize === null
      ? 'First verification of this log here: the checkpoint is now remembered for the next run.'
      : `Consistent with the checkpoint of size ${report.previousSize} accepted before.`,
    ...(report.peers > 0 ? [`Consistent with the latest checkpoint each of ${report.peers} other witness${report.peers === 1 ? '' : 'es'} cosigned: no party is shown another history.`] : []),
    ...(report.receipts.honoured + report.receipts.pending > 0 ? [`Receipts: ${report.receipts.honoured} honoured (each entry at its receipted index), ${report.receipts.pending} not yet due.`] : []),
    ...(report.resumedFrom > 0
      ? [`Went on from the replay this verifier kept at size ${report.resumedFrom}: the ${report.entries - report.resumedFrom} entries after it were checked now, those before it by the run that accepted that checkpoint (--full-replay checks them all again).`]
      : []),
    `${report.entries} entries verified: canonical JSON, signed by their authors (${[...report.authors].sort().join(', ')}), chained per author, each 'seen' a prefix of the log, dated within the witnessed time of the archived checkpoints (non-decreasing, not before what its author had seen, not after it was logged), replayed through the treaty rules.`,
    '',
    `Statistics recomputed from the log at ${isoTime(now)}:`,
    ...renderStatistics(statistics(report.state, now)),
  ];
  return `${lines.join('\n')}\n`;
}

/** Runs a verification; returns the exit code (0 verified, 1 failed). Throws CliError on unreadable input. */
export async function runVerify(options: VerifyOptions): Promise<number> {
  const { policy, digest: policyDigest } = readPolicy(options.policy);
  const partyKeys = readPartyKeys(options);
  if (partyKeys.length === 0) {
    process.stderr.write(`evenhand verify: no --key or --key-history: that the entries signed as ${options.as} are ${options.as}'s own rests on the witnesses' cosignatures alone, not on your keys\n`);
  }
  if (options.ca !== undefined) {
    try {
      trustCertificates(options.ca);
    } catch (error) {
      throw new CliError(`--ca: ${error instanceof Error ? error.message : String(error)}`, 2);
    }
  }
  const source = await openLogSource(options.log);
  const note = source.checkpoint();
  if (note === undefined) throw new CliError(`cannot read ${join(options.log, 'checkpoint')}: no checkpoint in the log directory`, 2);
  const statePath = options.state ?? join('.evenhand', 'verify', `${options.as}.json`);
  let saved;
  try {
    saved = readState(statePath);
  } catch (cause) {
    throw new CliError(cause instanceof Error ? cause.message : String(cause), 2);
  }
  const origin = note.split('\n', 1)[0] ?? '';
  const previous = saved.checkpoints[origin];
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const mirror = new MirrorWriter(options.mirror ?? join('.evenhand', 'mirror', origin.replace(/[^A-Za-z0-9._-]+/g, '_')));
  const replayPath = `${statePath.replace(/\.json$/, '')}.replay`;
  const binding: ReplayBinding = {
    party: options.as,
    keys: partyKeys.map((key) => Buffer.from(key.publicKey).toString('base64')).sort(),
    origin,
    policy: policyDigest,
    version: EVENHAND_VERSION,
  };
  const kept = previous !== undefined && options.fullReplay !== true ? keptReplay(replayPath, binding, mirror.holds(previous)) : undefined;
  let result;
  try {
    result = await verifyLog({
      fetch: async (path) => {
        const bytes = await source.fetch(path);
        if (bytes) mirror.write(path, bytes);
        return bytes;
      },
      note,
      policy,
      party: options.as,
      partyKeys,
      ...(previous !== undefined ? { previous } : {}),
      onProgress: progressReporter('verify', 'checked and replayed', options.progress !== false),
      onBundle: (n) => source.ahead(n),
      now,
      maxAgeSeconds: options.maxAge ?? 86_400,
      ...(options.receipts === undefined ? {} : { receipts: readReceipts(options.receipts) }),
      ...(options.peers === false ? {} : { peers: await fetchPeers(policy, options.as) }),
      ...(kept ? { resume: kept } : {}),
    });
  } catch (error) {
    mirror.discard();
    throw new CliError(`cannot read the log at ${options.log}: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  if (!result.ok) {
    mirror.discard();
    process.stderr.write(`evenhand verify: FAILED [${result.error.code}] ${result.error.message}\n`);
    if (result.error.evidence) {
      const label = `${origin.replace(/[^A-Za-z0-9._-]+/g, '_')}-${now}`;
      const folder = saveEvidence(options.evidence ?? join('.evenhand', 'evidence'), label, result.error.evidence.previous, result.error.evidence.current);
      process.stderr.write(`evenhand verify: both signed checkpoints are kept as evidence in ${folder}\n`);
    }
    return 1;
  }
  if (/^https?:\/\//.test(options.log)) {
    // The exchange's public views, at the verified size, against this replay.
    const mismatch = await compareViews(options.log, result.value.state, now).catch((error: unknown) => `the views could not be read (${error instanceof Error ? error.message : String(error)})`);
    if (mismatch) {
      mirror.discard();
      process.stderr.write(`evenhand verify: FAILED [VIEW_MISMATCH] ${mismatch}: the exchange's public views misreport the log it signed\n`);
      return 1;
    }
  }
  if (kept && result.value.resumedFrom === 0) process.stderr.write(`evenhand verify: the replay kept in ${replayPath} is not of the checkpoint accepted last time; every entry was replayed\n`);
  // Gone on from the last run, this run read only the tiles since: they join the mirror it left.
  mirror.commit(note, { merge: result.value.resumedFrom > 0 });
  writeState(statePath, { checkpoints: { ...saved.checkpoints, [origin]: note } });
  try {
    // Gone on from a replay of this very size: the one kept is already this run's.
    if (result.value.resumedFrom !== result.value.entries) writeReplay(replayPath, binding, result.value.replay, result.value.state);
  } catch (error) {
    process.stderr.write(`evenhand verify: the replay was not kept for the next run (${error instanceof Error ? error.message : String(error)}); the next run replays every entry\n`);
  }
  process.stdout.write(renderReport(result.value, options.as, now));
  if (/^https?:\/\//.test(options.log)) process.stdout.write(`The exchange's public views (statistics, deadlines, every page of requests and trades) at size ${result.value.entries} equal this replay.\n`);
  return 0;
}


/**
 * The replay the last run kept, if this run may go on from it: made under the same binding
 * (replay-file.ts: each entry of the prefix passed the checks this run would make), after a
 * treaty, and with the mirror holding that run's checkpoint (this run adds only the tiles
 * since). Why not, on stderr.
 */
function keptReplay(path: string, binding: ReplayBinding, mirrorHoldsIt: boolean): KeptReplay | undefined {
  const kept = readReplay(path);
  if (kept === undefined) return undefined;
  const unused = (why: string) => {
    process.stderr.write(`evenhand verify: the replay kept in ${path} is not used (${why}); every entry is replayed\n`);
    return undefined;
  };
  if (typeof kept === 'string') return unused(kept);
  const { header } = kept;
  if (header.party !== binding.party || JSON.stringify(header.keys) !== JSON.stringify(binding.keys)) return unused(`it was made for ${header.party} with ${header.keys.length} key(s), this run is for ${binding.party} with ${binding.keys.length}`);
  if (header.origin !== binding.origin) return unused(`it is of the log ${header.origin}, this run reads ${binding.origin}`);
  if (header.policy !== binding.policy) return unused('it was made under another policy file');
  if (header.version !== binding.version) return unused(`it was made by evenhand ${header.version}, this is ${binding.version}`);
  if (!kept.decoded.state.treaty) return unused('it was taken before a treaty was in force');
  if (!mirrorHoldsIt) return unused('the mirror does not hold the checkpoint accepted last time');
  return kept;
}

/**
 * The latest checkpoint each other witness of the policy cosigned (its /checkpoint/cosigned),
 * to compare with this log. A witness that does not answer is named on stderr and skipped.
 */
async function fetchPeers(policy: Policy, self: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    [...policy.witnesses.values()].filter((witness) => witness.name !== self && witness.url !== undefined).map(async (witness) => {
      try {
        const response = await fetch(`${witness.url!.replace(/\/+$/, '')}/checkpoint/cosigned`, { signal: AbortSignal.timeout(5000) });
        if (response.status === 200) out.set(witness.name, await response.text());
        else process.stderr.write(`evenhand verify: ${witness.name}'s witness has no cosigned checkpoint to compare (${response.status})\n`);
      } catch {
        process.stderr.write(`evenhand verify: ${witness.name}'s witness at ${witness.url} did not answer; its view is not compared\n`);
      }
    }),
  );
  return out;
}

/** Every file of a directory of receipts (as a gateway keeps them, or as received), by file name. */
function readReceipts(dir: string): Map<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => !name.startsWith('.')).sort();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read the receipts directory ${dir}: ${code === 'ENOENT' ? 'no such directory' : String(cause)}`, 2);
  }
  return new Map(names.map((name) => [name, readText(join(dir, name), 'receipt')]));
}

/** What the command runs, loaded only when it runs (verify.ts registers its options). */
export const verifyAction = async (options: VerifyOptions) => {
      process.exitCode = await runVerify(options);
    };
