import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deadlines, getRequest, incidentRequestIds, incidentsPage, linksOf, listTrades, requestSummaries, scenario2021, statistics, type PairStatistics } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { run } from './request-helpers.ts';

const treaty = treaty2021();

describe('the 2021 scenario (DESIGN.md)', () => {
  // Two instants: the summit itself, and a demo run years later (limitation periods matter).
  for (const now of [Date.UTC(2021, 5, 16, 9) / 1000, Date.UTC(2026, 10, 26, 14, 3, 45) / 1000]) {
    describe(`at ${new Date(now * 1000).toISOString()}`, () => {
      const entries = scenario2021(treaty, now);
      const state = run(entries);
      const stats = (requesting: string): PairStatistics => statistics(state, now).find((entry) => entry.requesting === requesting)!;

      it('replays cleanly through apply, in time order, all in the past', () => {
        assert.equal(state.size, entries.length);
        assert.ok(entries.every((entry, index) => entry.time <= now && (index === 0 || entries[index - 1]!.time <= entry.time)));
        assert.deepEqual(entries.slice(0, 3).map((entry) => entry.type), ['treaty.propose', 'treaty.ratify', 'treaty.ratify']);
      });

      it('has a proposed trade: the US grant on reciprocity against a pardoned prisoner, signed by the US only', () => {
        const trades = listTrades(state.trades);
        assert.deepEqual(trades.map((trade) => [trade.id, trade.status, trade.signedBy]), [['T-2021-1', 'proposed', ['US']]]);
        assert.deepEqual(trades[0]!.legs.map((leg) => [leg.from, leg.to]), [['US', 'RU'], ['RU', 'US']]);
      });

      it('has one RU refusal on nationality, after consultation, whose prosecution report is overdue', () => {
        const refusals = requestSummaries(state).filter((request) => request.decision?.kind === 'refuse-prosecute');
        assert.deepEqual(refusals.map((request) => [request.view.requested, request.decision?.ground]), [['RU', 'nationality']]);
        const history = refusals[0]!.history.map((item) => item.type);
        assert.ok(history.indexOf('request.consult') < history.indexOf('request.decide'));
        const overdue = deadlines(state, now).filter((deadline) => deadline.kind === 'prosecution-report' && deadline.overdue);
        assert.deepEqual(overdue.map((deadline) => deadline.party), ['RU']);
      });

      it('has one US grant conditional on reciprocity', () => {
        const conditional = requestSummaries(state).filter((request) => request.decision?.kind === 'grant-conditional');
        assert.deepEqual(conditional.map((request) => [request.view.requested, request.decision?.onReciprocity]), [['US', true]]);
      });

      it('shows answered and unanswered requests in both directions, settled by data', () => {
        const usToRu = stats('US');
        const ruToUs = stats('RU');
        assert.ok(usToRu.decided >= 2 && usToRu.unansweredPastDeadline === 1, JSON.stringify(usToRu));
        assert.ok(ruToUs.decided >= 1 && ruToUs.unansweredPastDeadline === 1 && ruToUs.unacknowledgedPastDeadline === 1, JSON.stringify(ruToUs));
        assert.equal(usToRu.prosecutionReportsOverdue, 1);
        const open = deadlines(state, now);
        assert.ok(open.some((deadline) => deadline.overdue) && open.some((deadline) => !deadline.overdue));
      });

      it('makes nationality available to the US against RU by mirror, once RU has invoked it', () => {
        const record = getRequest(state, 'RU-2021-002')!;
        const summary = requestSummaries(state).find((request) => request.id === record.id)!;
        assert.deepEqual(summary.evaluation?.mirroredGrounds, ['nationality']);
        assert.deepEqual(summary.evaluation?.mandatoryRefusals, [], 'offence dates are recent enough for every limitation period');
      });

      it('names persons by pseudonym only', () => {
        for (const request of requestSummaries(state)) assert.match(request.pseudonym, /^[a-z]+(-[a-z]+)*-\d{2}$/);
      });

      it('registers Colonial Pipeline/DarkSide and JBS/REvil before the requests that name them (issue 17)', () => {
        const incidents = incidentsPage(state, now, 0).items;
        assert.deepEqual(incidents.map((incident) => [incident.id, incident.date, incident.sector, incident.group, incident.registeredBy]), [['colonial-pipeline-2021', '2021-05-07', 'energy', 'DarkSide', 'US'], ['jbs-2021', '2021-05-30', 'food', 'REvil', 'US']]);
        assert.deepEqual(incidentRequestIds(state.incidents, 'colonial-pipeline-2021'), ['US-2021-001', 'US-2021-003', 'US-2021-004']);
        assert.deepEqual(incidentRequestIds(state.incidents, 'jbs-2021'), ['US-2021-002']);
        assert.deepEqual(linksOf(state.incidents, 'US-2021-001').relatedBy.map((link) => [link.request, link.relation]), [['US-2021-003', 'same-group'], ['US-2021-004', 'co-accused']]);
        // The nexus where it shows: RU refused on nationality and owes the prosecution's report on Colonial; on JBS it is silent.
        const colonial = incidents[0]!.statistics.figures;
        assert.deepEqual([colonial.refusedByGround, colonial.prosecutionsOwed, colonial.prosecutionReportsOverdue, colonial.surrendered], [{ nationality: 1 }, 1, 1, 1]);
        assert.equal(incidents[1]!.statistics.figures.unansweredPastDeadline, 1);
      });
    });
  }
});
