import canonicalize from 'canonicalize';
import { ed25519Verify } from '@evenhand/crypto';
import { ok, type Result } from '../result.ts';
import { fail, type ApplyError } from '../request/apply-error.ts';
import type { EntryType } from '../request/entries.ts';
import type { State } from '../request/state.ts';
import { requireDistinctApprovers } from '../request/step.ts';
import { getOfficial, hasRegisteredOfficials } from './registry.ts';

/**
 * Approvals anyone can check (issue 13). An act that binds a state — a decision, a trade
 * signature or commit, a treaty act (proposal, ratification, denunciation), and changes to
 * its officials — names two approvers, and, once the state has registered its officials,
 * carries each one's Ed25519 signature over
 *
 *   "evenhand-approval/v1\n" ‖ JCS({ author, body, treaty, type })
 *
 * where `body` is the entry's body as it is in the log (sealed members as ciphertext) without
 * `approvers` and `approvals`, and `treaty` the id of the treaty in force (RFC 8785 JCS, as the
 * entry envelope uses). Both approvers sign the same bytes, so the first can sign when proposing,
 * before the second is known; `type`, `author` and the treaty id keep a signature from serving
 * another act, state or log. The state's entry key signs the envelope as always; this makes the
 * two-person rule a fact the other states and the public can check, not the gateway's word.
 */
export const APPROVAL_CONTEXT = 'evenhand-approval/v1\n';

/** Acts that carry two approvers' signatures once their author has registered officials. */
export const APPROVED_ACTS: ReadonlySet<EntryType> = new Set(['request.decide', 'trade.sign', 'trade.commit', 'treaty.propose', 'treaty.ratify', 'treaty.denounce', 'official.register', 'official.revoke']);

interface ApprovedBody {
  readonly approvers?: readonly string[] | undefined;
  readonly approvals?: readonly string[] | undefined;
  readonly [member: string]: unknown;
}

/** The treaty an approval is bound to: the one in force, or the one a first proposal puts forward. */
export function approvalTreatyId(state: State, body: Record<string, unknown>): string {
  if (state.treaty) return state.treaty.id;
  const proposed = body.treaty as { id?: unknown } | undefined;
  return typeof proposed?.id === 'string' ? proposed.id : '';
}

/** The bytes each approver signs. */
export function approvalMessage(treatyId: string, author: string, type: EntryType, body: Record<string, unknown>): Uint8Array {
  const { approvers: _approvers, approvals: _approvals, ...signed } = body;
  const text = canonicalize({ author, body: signed, treaty: treatyId, type });
  if (text === undefined) throw new TypeError('approvalMessage: the body has no JSON form');
  return new TextEncoder().encode(APPROVAL_CONTEXT + text);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

/**
 * The approvals rule, checked by `apply` before the act's own rules: a state that has
 * registered officials binds itself only with the signatures of two different ones, neither
 * revoked at this entry; a state that has registered none cannot show signatures yet.
 */
export function checkApprovals(state: State, author: string, type: EntryType, body: ApprovedBody): Result<true, ApplyError> {
  if (!APPROVED_ACTS.has(type)) return ok(true);
  const { approvers, approvals } = body;
  if (!hasRegisteredOfficials(state.officials, author)) {
    if (approvals === undefined) return ok(true);
    return fail('APPROVALS_UNEXPECTED', `body.approvals: ${author} has registered no officials, so no signature can be checked; its founding set is registered first (official.register)`, 'body.approvals');
  }
  if (!approvers || !approvals) {
    return fail('APPROVALS_REQUIRED', `body.approvals: ${author} has registered its officials, so ${type} carries the signatures of two of them (issue 13)`, approvers ? 'body.approvals' : 'body.approvers');
  }
  const distinct = requireDistinctApprovers(approvers);
  if (!distinct.ok) return distinct;
  const message = approvalMessage(approvalTreatyId(state, body), author, type, body);
  for (const [position, id] of approvers.entries()) {
    const official = getOfficial(state.officials, author, id);
    if (!official) return fail('OFFICIAL_UNKNOWN', `body.approvers[${position}]: ${author} has registered no official ${id}`, `body.approvers[${position}]`);
    if (official.revokedAt) return fail('OFFICIAL_REVOKED', `body.approvers[${position}]: ${id} was revoked at entry ${official.revokedAt.index}, before this act`, `body.approvers[${position}]`);
    if (!ed25519Verify(fromBase64(official.key), message, fromBase64(approvals[position]!))) {
      return fail('APPROVAL_INVALID', `body.approvals[${position}]: not a signature of ${id}'s registered key over this act`, `body.approvals[${position}]`);
    }
  }
  return ok(true);
}
