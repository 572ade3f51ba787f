import type { UnixSeconds } from '../time.ts';
import { ok, type Result } from '../result.ts';
import { validateTreaty } from '../treaty/load.ts';
import type { Treaty } from '../treaty/schema.ts';
import { fail, type ApplyError } from './apply-error.ts';
import type { EntryBody } from './entries.ts';
import type { State, TreatyProposal } from './state.ts';
import { partiesLeft, unlessStillParty } from '../treaty/denunciation.ts';
import { unlessKeepsDenouncing } from './treaty-denunciation.ts';

/**
 * Treaty adoption and amendment (DESIGN.md "The treaty"): a party listed in the proposed
 * document proposes it, and it is adopted when every party it lists has ratified it in the
 * log, proposer included (the proposal is an offer, the ratification the signature). An
 * amendment is a higher version of the same treaty id and follows the same path; it also
 * needs every party of the treaty in force, so no party can be amended out without it. A party
 * whose denunciation has taken effect (issue 17) neither proposes nor ratifies, and is not
 * waited for; an amendment keeps it listed as it was, for its pending cases.
 */

const key = (id: string, version: number) => `${id}@${version}`;

function partyIds(treaty: Treaty): string[] {
  return treaty.parties.map((party) => party.id);
}

export function applyPropose(state: State, author: string, time: UnixSeconds, body: EntryBody<'treaty.propose'>): Result<State, ApplyError> {
  // zod checked the shape; the cross-references (grounds, offences, profiles) need the loader.
  const checked = validateTreaty(body.treaty);
  if (!checked.ok) {
    const first = checked.error.issues[0];
    const issues = checked.error.issues.map((issue) => `body.treaty.${issue.path}: ${issue.message}`).join('; ');
    return fail('TREATY_INVALID', issues, first ? `body.treaty.${first.path}` : 'body.treaty');
  }
  const treaty = checked.value;
  if (!partyIds(treaty).includes(author)) {
    return fail('AUTHOR_NOT_A_PARTY', `author: ${author} is not a party of the proposed treaty (${partyIds(treaty).join(', ')})`, 'author');
  }
  const current = state.treaty;
  if (current) {
    const left = unlessStillParty(state, current, author, time, 'author', 'it proposes no amendment');
    if (left) return left;
    const kept = unlessKeepsDenouncing(state, current, treaty);
    if (!kept.ok) return kept;
    if (treaty.id !== current.id) return fail('TREATY_VERSION_STALE', `body.treaty.id: an amendment must keep the treaty id "${current.id}", found "${treaty.id}"`, 'body.treaty.id');
    if (treaty.version <= current.version) {
      return fail('TREATY_VERSION_STALE', `body.treaty.version: an amendment must have a version above ${current.version}, found ${treaty.version}`, 'body.treaty.version');
    }
  }
  if (state.proposals.some((proposal) => key(proposal.treaty.id, proposal.treaty.version) === key(treaty.id, treaty.version))) {
    return fail('PROPOSAL_EXISTS', `body.treaty.version: ${key(treaty.id, treaty.version)} has already been proposed`, 'body.treaty.version');
  }
  const proposal: TreatyProposal = { treaty, proposedBy: author, proposedAt: time, ratifiedBy: [] };
  return ok({ ...state, proposals: [...state.proposals, proposal], size: state.size + 1 });
}

export function applyRatify(state: State, author: string, time: UnixSeconds, body: EntryBody<'treaty.ratify'>): Result<State, ApplyError> {
  const wanted = key(body.treaty, body.version);
  const proposal = state.proposals.find((candidate) => key(candidate.treaty.id, candidate.treaty.version) === wanted);
  if (!proposal) return fail('PROPOSAL_UNKNOWN', `body.version: no pending proposal ${wanted}`, 'body.version');
  if (state.treaty) {
    const left = unlessStillParty(state, state.treaty, author, time, 'author', 'it ratifies no amendment');
    if (left) return left;
    const kept = unlessKeepsDenouncing(state, state.treaty, proposal.treaty);
    if (!kept.ok) return kept;
  }
  // An amendment binds the parties of the treaty in force as well as those it lists: a
  // party it would drop must sign it too, or two parties could remove a third unilaterally.
  // A party that has left the treaty is no longer bound, so not waited for (VCLT art. 70(2)).
  const gone = new Set(partiesLeft(state, time));
  const parties = [...new Set([...partyIds(proposal.treaty), ...(state.treaty ? partyIds(state.treaty) : [])])].filter((party) => !gone.has(party));
  if (!parties.includes(author)) return fail('AUTHOR_NOT_A_PARTY', `author: ${author} is not a party of ${wanted} (${parties.join(', ')})`, 'author');
  if (proposal.ratifiedBy.includes(author)) return fail('ALREADY_RATIFIED', `author: ${author} has already ratified ${wanted}`, 'author');
  if (state.treaty && proposal.treaty.version <= state.treaty.version) {
    return fail('TREATY_VERSION_STALE', `body.version: version ${state.treaty.version} is already in force, found ${body.version}`, 'body.version');
  }

  const ratifiedBy = [...proposal.ratifiedBy, author];
  const adopted = parties.every((party) => ratifiedBy.includes(party));
  if (!adopted) {
    const proposals = state.proposals.map((candidate) => (candidate === proposal ? { ...proposal, ratifiedBy } : candidate));
    return ok({ ...state, proposals, size: state.size + 1 });
  }
  // Adoption supersedes every pending proposal of this treaty up to this version.
  const proposals = state.proposals.filter((candidate) => !(candidate.treaty.id === proposal.treaty.id && candidate.treaty.version <= proposal.treaty.version));
  return ok({ ...state, treaty: proposal.treaty, adoptedAt: state.adoptedAt ?? time, proposals, size: state.size + 1 });
}
