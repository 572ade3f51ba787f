/**
 * `evenhand clear --audit` on a round read from the log (issue 13): rebuilds the pool with
 * core's `clearingRoundPool` (the function the exchange ran) from the state at the round's
 * `poolAt` and the round's time (who had left the treaty by then, issue 17), checks its digest,
 * matches the round's `trades` with the exchange's proposals in the log, and hands the figures
 * to core's `auditRound` (feasibility, objective, bound).
 */
import { auditRound, clearingPoolDigest, clearingRoundPool, loadHighs, type AuditFinding, type PoolFigures, type ProposedTrade } from '@evenhand/core';
import { sha256 } from '@evenhand/crypto';
import type { LoggedRound } from './read-round.ts';

export interface ClearAuditReport {
  readonly round: string;
  readonly index: number;
  readonly ordinal: number;
  readonly logSize: number;
  readonly signaturesChecked: boolean;
  readonly valid: boolean;
  readonly findings: readonly AuditFinding[];
  readonly held: readonly string[];
  readonly poolAt?: number;
  readonly pool?: number;
  readonly poolDigest?: { readonly stated: string; readonly rebuilt: string };
  readonly stated?: { readonly objective: number; readonly bound: number; readonly gap: number };
  readonly recomputed?: PoolFigures;
  readonly resolved?: { readonly objective: number; readonly bound: number; readonly optimal: boolean };
}

/** The figures fields of `clearing.round` (core entries.ts), named in the "no figures" finding. */
const FIGURES = 'poolAt, poolDigest, objective, bound, gap, solver';

export async function auditLoggedRound(logged: LoggedRound, options: { timeLimitSeconds: number; clock?: () => number }): Promise<ClearAuditReport> {
  const { body } = logged;
  const base = { round: body.round, index: logged.index, ordinal: logged.ordinal, logSize: logged.checkpoint.size, signaturesChecked: logged.signaturesChecked };
  const report = (findings: readonly AuditFinding[], held: readonly string[], extra: Partial<ClearAuditReport> = {}): ClearAuditReport => ({ ...base, valid: findings.length === 0, findings, held, ...extra });
  const { poolAt, poolDigest, objective, bound, gap, solver } = body;
  if (poolAt === undefined || poolDigest === undefined || objective === undefined || bound === undefined || gap === undefined || solver === undefined || !logged.poolState) {
    return report([{ field: FIGURES, message: `this round records no figures (${FIGURES}): it was written before rounds carried them, so there is nothing to re-check it against (rule: a round records its pool's digest, objective, bound, gap and solver figures)` }], []);
  }
  const treaty = logged.poolState.treaty;
  if (!treaty) return report([{ field: 'poolAt', message: `no treaty was in force in the log at size ${poolAt}, so there was no pool to solve (rule: the pool is built from the state at poolAt)` }], []);

  const findings: AuditFinding[] = [];
  const held: string[] = [];
  const pool = clearingRoundPool(logged.poolState, treaty, logged.time);
  const rebuilt = clearingPoolDigest(pool, sha256);
  if (rebuilt !== poolDigest) {
    findings.push({ field: 'poolDigest', message: `stated ${poolDigest}, but the pool rebuilt from the log at size ${poolAt} (${pool.requests.length} legs) digests to ${rebuilt} (rule: the digest is SHA-256 of the canonical encoding of the pool the round solved)` });
  } else {
    held.push(`the pool rebuilt from the log at size ${poolAt} (${pool.requests.length} leg${pool.requests.length === 1 ? '' : 's'}) has the round's digest ${rebuilt}`);
  }

  const trades = proposedTrades(logged, findings);
  const audit = auditRound(await loadHighs(), { pool, recorded: { pool: body.pool, objective, bound, gap, solver }, trades, timeLimitSeconds: options.timeLimitSeconds, ...(options.clock ? { clock: options.clock } : {}) });
  return report([...findings, ...audit.findings], [...held, ...audit.held], {
    poolAt,
    pool: body.pool,
    poolDigest: { stated: poolDigest, rebuilt },
    stated: { objective, bound, gap },
    ...(audit.recomputed ? { recomputed: audit.recomputed } : {}),
    ...(audit.resolved ? { resolved: audit.resolved } : {}),
  });
}

/**
 * The trades the round lists, as the exchange proposed them in the log between `poolAt` and
 * the round (clearing-routes.ts writes them there, then the round). A listed trade with no such
 * proposal, a proposal the round leaves out, and a leg that is not a plain request leg (the
 * pool's legs have no destination or weight of their own) are findings of their own.
 */
function proposedTrades(logged: LoggedRound, findings: AuditFinding[]): ProposedTrade[] {
  const { body, proposals } = logged;
  const byTrade = new Map(proposals.map((proposal) => [proposal.trade, proposal]));
  const listed = new Set(body.trades);
  for (const proposal of proposals) {
    if (!listed.has(proposal.trade)) findings.push({ field: 'trades', message: `the exchange proposed trade ${proposal.trade} at entry ${proposal.index}, after the pool was built (size ${body.poolAt}) and before the round, but the round does not list it (rule: trades lists every trade the round proposed)` });
  }
  const out: ProposedTrade[] = [];
  body.trades.forEach((trade, position) => {
    const proposal = byTrade.get(trade);
    if (!proposal) {
      findings.push({ field: `trades[${position}]`, message: `trade ${trade}: the exchange proposed no such trade between the pool's size ${body.poolAt} and the round at entry ${logged.index} (rule: the round lists the trades it proposed)` });
      return;
    }
    const legs: string[] = [];
    proposal.legs.forEach((leg, index) => {
      if (leg.kind !== 'request') findings.push({ field: `trades[${position}]`, message: `trade ${trade}: leg ${index} is a voluntary transfer, which no pool holds (rule: a round proposes only legs of its pool)` });
      else if (leg.destination !== undefined || (leg.weight !== undefined && leg.weight !== 1)) findings.push({ field: `trades[${position}]`, message: `trade ${trade}: leg ${index} (request ${leg.request}) names a destination or weight of its own (rule: a round proposes the pool's legs as they are)` });
      else legs.push(leg.request);
    });
    out.push({ id: trade, legs });
  });
  return out;
}
