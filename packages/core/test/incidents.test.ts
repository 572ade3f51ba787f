import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACT_ROLES, addMonths, genesis, getGroup, getIncident, groupsPage, incidentRequestIds, incidentsPage, incidentStatistics, incidentView, linksOf, type AnyDomainEntry, type State,
} from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, APPROVERS, day, entry, fileBody, REASONS, refused, run } from './request-helpers.ts';

/** Issue 17, "Incidents, public": registering incidents, linking requests to them and to each other, and their views. */

const treaty = treaty2021();
const adopted = run(adoption(treaty));

const COLONIAL = { incident: 'colonial-pipeline-2021', name: 'Colonial Pipeline', date: '2021-05-07', sector: 'energy', description: 'Ransomware shut the pipeline down for several days.', group: 'DarkSide' };
const JBS = { incident: 'jbs-2021', name: 'JBS', date: '2021-05-30', sector: 'food', description: "Ransomware stopped the company's beef plants.", group: 'REvil' };
const register = (author: string, at: number, body: Record<string, unknown>) => entry(author, at, 'incident.register', body);
const usFile = (id: string, at: number, links: Record<string, unknown> = {}) => entry('US', at, 'request.file', fileBody(id, links));

function registered(): State {
  return run([register('US', day(0), COLONIAL), register('RU', day(0), JBS)], adopted);
}

describe('incident.register (issue 17)', () => {
  it('any party registers an incident with public fields only, in order of registration', () => {
    const state = registered();
    const colonial = getIncident(state.incidents, 'colonial-pipeline-2021');
    assert.deepEqual(colonial && [colonial.name, colonial.date, colonial.sector, colonial.group, colonial.registeredBy, colonial.seq, colonial.requestCount], ['Colonial Pipeline', '2021-05-07', 'energy', 'DarkSide', 'US', 0, 0]);
    assert.equal(getIncident(state.incidents, 'jbs-2021')?.registeredBy, 'RU', 'the other party may register one too');
    assert.equal(state.size, adopted.size + 2);
  });

  it('is filed by a clerk: public facts that bind no one', () => {
    assert.deepEqual(ACT_ROLES['incident.register'], ['clerk']);
  });

  it('refuses a reused id, naming the field and who registered it first', () => {
    const error = refused(registered(), register('RU', day(1), { ...COLONIAL, name: 'Another' }), 'INCIDENT_EXISTS');
    assert.equal(error.field, 'body.incident');
    assert.match(error.message, /^body\.incident: incident colonial-pipeline-2021 was registered already, by US at entry 3/);
  });

  it('refuses bodies that break the schema, naming the field and the rule', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...COLONIAL, sector: 'pipelines' }, 'body.sector', /body\.sector/],
      [{ ...COLONIAL, name: '   ' }, 'body.name', /a public name, not blank/],
      [{ ...COLONIAL, date: '7 May 2021' }, 'body.date', /a date as YYYY-MM-DD/],
      [{ ...COLONIAL, group: 'Dark/Side' }, 'body.group', /a group name of letters/],
      [{ ...COLONIAL, suspect: 'a name' }, 'body', /suspect/],
    ];
    for (const [body, field, message] of cases) {
      const error = refused(adopted, register('US', day(0), body), 'BODY_INVALID');
      assert.equal(error.field, field, error.message);
      assert.match(error.message, message);
    }
    const date = refused(adopted, register('US', day(0), { ...COLONIAL, date: '2021-02-30' }), 'DATE_INVALID');
    assert.equal(date.field, 'body.date');
  });

  it('is refused before a treaty is in force, from a state that is not a party, and from one that has left the treaty', () => {
    refused(genesis(), register('US', day(0), COLONIAL), 'TREATY_NOT_ADOPTED');
    refused(adopted, register('CH', day(0), COLONIAL), 'AUTHOR_NOT_A_PARTY');
    const denounced = run([entry('RU', day(1), 'treaty.denounce', { treaty: treaty.id })], adopted);
    const effective = addMonths(day(1), 6);
    assert.equal(run([register('RU', effective - 1, JBS)], denounced).incidents.byId.size, 1, 'during the notice period it still may');
    const left = refused(denounced, register('RU', effective, JBS), 'TREATY_DENOUNCED');
    assert.equal(left.field, 'author');
    assert.match(left.message, /so it registers no new incident/);
  });

  it('keeps one group per name, ignoring case, with the spelling of its first naming', () => {
    const state = run([register('RU', day(1), { ...JBS, incident: 'kaseya-2021', name: 'Kaseya VSA', sector: 'ict-service-management', group: 'revil' })], registered());
    assert.deepEqual(getGroup(state.incidents, 'REVIL')?.incidents, ['jbs-2021', 'kaseya-2021']);
    assert.equal(getGroup(state.incidents, 'revil')?.name, 'REvil');
    assert.deepEqual(groupsPage(state, day(2), 0).items.map((group) => [group.group, group.incidents.map((incident) => incident.id)]), [['DarkSide', ['colonial-pipeline-2021']], ['REvil', ['jbs-2021', 'kaseya-2021']]]);
  });
});

describe('requests linked to incidents and to each other (issue 17)', () => {
  it('a filing names incidents and earlier requests; both directions of a link are kept', () => {
    const state = run([
      usFile('US-1', day(1), { incidents: ['colonial-pipeline-2021'] }),
      usFile('US-2', day(2), { incidents: ['colonial-pipeline-2021', 'jbs-2021'], related: [{ request: 'US-1', relation: 'same-group' }] }),
      entry('RU', day(3), 'request.file', fileBody('RU-1', { requested: 'US', related: [{ request: 'US-2', relation: 'co-accused' }] })),
    ], registered());
    assert.deepEqual(incidentRequestIds(state.incidents, 'colonial-pipeline-2021'), ['US-1', 'US-2']);
    assert.deepEqual(incidentRequestIds(state.incidents, 'jbs-2021'), ['US-2']);
    assert.deepEqual(linksOf(state.incidents, 'US-2'), { incidents: ['colonial-pipeline-2021', 'jbs-2021'], related: [{ request: 'US-1', relation: 'same-group' }], relatedBy: [{ request: 'RU-1', relation: 'co-accused' }] });
    assert.deepEqual(linksOf(state.incidents, 'US-1').relatedBy, [{ request: 'US-2', relation: 'same-group' }]);
  });

  it('a filing with no link leaves the incident book as it was', () => {
    const before = registered();
    assert.equal(run([usFile('US-1', day(1))], before).incidents, before.incidents);
  });

  it('refuses an unknown incident or request, naming the field', () => {
    const state = run([usFile('US-1', day(1))], registered());
    const incident = refused(state, usFile('US-2', day(2), { incidents: ['jbs-2021', 'kaseya-2021'] }), 'INCIDENT_UNKNOWN');
    assert.equal(incident.field, 'body.incidents[1]');
    assert.match(incident.message, /^body\.incidents\[1\]: no incident kaseya-2021 is registered/);
    const request = refused(state, usFile('US-2', day(2), { related: [{ request: 'US-1', relation: 'co-accused' }, { request: 'US-9', relation: 'co-accused' }] }), 'REQUEST_UNKNOWN');
    assert.equal(request.field, 'body.related[1].request');
    const self = refused(state, usFile('US-2', day(2), { related: [{ request: 'US-2', relation: 'co-accused' }] }), 'RELATED_INVALID');
    assert.equal(self.field, 'body.related[0].request');
  });

  it('refuses an incident or a related request named twice, and an unknown relation', () => {
    const twice = refused(registered(), usFile('US-1', day(1), { incidents: ['jbs-2021', 'jbs-2021'] }), 'BODY_INVALID');
    assert.match(twice.message, /body\.incidents: each incident named once/);
    const state = run([usFile('US-1', day(1))], registered());
    refused(state, usFile('US-2', day(2), { related: [{ request: 'US-1', relation: 'co-accused' }, { request: 'US-1', relation: 'same-group' }] }), 'BODY_INVALID');
    const relation = refused(state, usFile('US-2', day(2), { related: [{ request: 'US-1', relation: 'accomplice' }] }), 'BODY_INVALID');
    assert.equal(relation.field, 'body.related[0].relation');
  });
});

describe('incident views (issue 17)', () => {
  const entries: AnyDomainEntry[] = [
    usFile('US-1', day(1), { incidents: ['colonial-pipeline-2021'], subject: { pseudonym: 'p-1', nationalities: ['RU'], ageAtOffence: 30 } }),
    usFile('US-2', day(2), { incidents: ['colonial-pipeline-2021'], subject: { pseudonym: 'p-2', nationalities: ['UA'], ageAtOffence: 30 } }),
    usFile('US-3', day(3), { incidents: ['jbs-2021'] }),
    entry('RU', day(4), 'request.acknowledge', { request: 'US-1' }),
    entry('RU', day(5), 'request.consult', { request: 'US-1', ground: 'nationality' }),
    entry('RU', day(30), 'request.decide', { request: 'US-1', decision: 'refuse-prosecute', ground: 'nationality', approvers: APPROVERS, sealed: REASONS }),
    entry('RU', day(5), 'request.acknowledge', { request: 'US-2' }),
    entry('RU', day(20), 'request.decide', { request: 'US-2', decision: 'grant', approvers: APPROVERS }),
  ].sort((a, b) => a.time - b.time);
  const state = run(entries, registered());
  const at = day(200);

  it('lists incidents with their figures and their requests, each with its status and what is overdue', () => {
    const page = incidentsPage(state, at, 0);
    assert.deepEqual([page.size, page.at, page.next, page.items.map((item) => item.id)], [state.size, at, null, ['colonial-pipeline-2021', 'jbs-2021']]);
    const colonial = page.items[0]!;
    assert.deepEqual(colonial.requests.map((row) => [row.id, row.status, row.decision?.ground ?? null]), [['US-1', 'refused-prosecute-instead', 'nationality'], ['US-2', 'granted', null]]);
    assert.deepEqual([colonial.statistics.figures.filed, colonial.statistics.figures.refused, colonial.statistics.figures.granted, colonial.statistics.figures.prosecutionsOwed, colonial.statistics.figures.prosecutionReportsOverdue], [2, 1, 1, 1, 1]);
    assert.deepEqual(colonial.statistics.figures.refusedByGround, { nationality: 1 });
    assert.deepEqual(colonial.statistics.pairs.map((pair) => [pair.requesting, pair.requested, pair.filed]), [['US', 'RU', 2]]);
    assert.deepEqual(colonial.requests[0]!.overdue.map((item) => [item.party, item.kind]), [['RU', 'prosecution-report']]);
    const jbs = page.items[1]!;
    assert.deepEqual(jbs.requests[0]!.overdue.map((item) => [item.party, item.kind]), [['RU', 'acknowledge'], ['RU', 'decide']], 'silence shows as overdue obligations');
    assert.deepEqual([jbs.statistics.figures.unacknowledgedPastDeadline, jbs.statistics.figures.unansweredPastDeadline], [1, 1]);
  });

  it("pages incidents and an incident's requests, at most 200 at a time", () => {
    const first = incidentsPage(state, at, 0, 1);
    assert.deepEqual([first.items.map((item) => item.id), first.next], [['colonial-pipeline-2021'], '1']);
    assert.deepEqual(incidentsPage(state, at, 1, 1).items.map((item) => item.id), ['jbs-2021']);
    const view = incidentView(state, 'colonial-pipeline-2021', at, 1, 1);
    assert.deepEqual(view && [view.requests.map((row) => row.id), view.next, view.requestCount], [['US-2'], null, 2]);
    assert.equal(incidentView(state, 'nothing', at, 0), undefined);
  });

  it('gives the same figures per incident as its view, and none for an unknown incident', () => {
    assert.deepEqual(incidentStatistics(state, 'jbs-2021', at)?.figures, incidentView(state, 'jbs-2021', at, 0)?.statistics.figures);
    assert.equal(incidentStatistics(state, 'nothing', at), undefined);
  });
});
