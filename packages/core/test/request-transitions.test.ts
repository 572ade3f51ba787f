import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply, getRequest, type AnyDomainEntry, type RequestStatus, type State } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, APPROVERS, day, entry, fileBody, REASONS, refused, run } from './request-helpers.ts';

/**
 * Every transition from every status (reference/domain.md (c)), legal and illegal: a table
 * of setups that bring a request to each status, and a probe per entry type with the
 * statuses it may start from. Each setup arrests the person right after filing so that
 * consent can be probed too.
 */
const treaty = treaty2021();
const adopted = run(adoption(treaty));

interface Setup {
  readonly status: RequestStatus;
  readonly id: string;
  readonly state: State;
}

function build(id: string, status: RequestStatus, extra: AnyDomainEntry[], nationality = 'UA'): Setup {
  const state = run(
    [entry('US', day(0), 'request.file', fileBody(id, { subject: { pseudonym: `p-${id}`, nationalities: [nationality], ageAtOffence: 30 } })), entry('RU', day(0), 'request.arrest', { request: id }), ...extra],
    adopted,
  );
  assert.equal(getRequest(state, id)?.status, status, `setup for ${status}`);
  return { status, id, state };
}

const ack = (id: string) => entry('RU', day(1), 'request.acknowledge', { request: id });
const grant = (id: string) => entry('RU', day(5), 'request.decide', { request: id, decision: 'grant', approvers: APPROVERS });
const schedule = (id: string) => entry('RU', day(6), 'request.schedule-surrender', { request: id, date: '2021-07-01' });
const surrender = (id: string) => entry('RU', day(8), 'request.surrender', { request: id });

const setups: Setup[] = [
  build('S-filed', 'filed', []),
  build('S-ack', 'acknowledged', [ack('S-ack')]),
  build('S-info', 'info-requested', [ack('S-info'), entry('RU', day(2), 'request.ask-info', { request: 'S-info' })]),
  build('S-supplied', 'info-supplied', [ack('S-supplied'), entry('RU', day(2), 'request.ask-info', { request: 'S-supplied' }), entry('US', day(3), 'request.supply-info', { request: 'S-supplied' })]),
  build('S-granted', 'granted', [ack('S-granted'), grant('S-granted')]),
  build('S-cond', 'granted-conditional', [ack('S-cond'), entry('RU', day(5), 'request.decide', { request: 'S-cond', decision: 'grant-conditional', onReciprocity: true, approvers: APPROVERS })]),
  build('S-sched', 'surrender-scheduled', [ack('S-sched'), grant('S-sched'), schedule('S-sched')]),
  build('S-surr', 'surrendered', [ack('S-surr'), grant('S-surr'), schedule('S-surr'), surrender('S-surr')]),
  build('S-recv', 'received', [ack('S-recv'), grant('S-recv'), schedule('S-recv'), surrender('S-recv'), entry('US', day(9), 'request.confirm-receipt', { request: 'S-recv' })]),
  build('S-refused', 'refused', [ack('S-refused'), entry('RU', day(5), 'request.decide', { request: 'S-refused', decision: 'refuse', ground: 'fiscal', findings: { fiscalOffence: true }, approvers: APPROVERS, sealed: REASONS })]),
  build(
    'S-pros',
    'refused-prosecute-instead',
    [
      ack('S-pros'),
      entry('RU', day(2), 'request.consult', { request: 'S-pros', ground: 'nationality' }),
      entry('US', day(3), 'request.consult-reply', { request: 'S-pros' }),
      entry('RU', day(5), 'request.decide', { request: 'S-pros', decision: 'refuse-prosecute', ground: 'nationality', approvers: APPROVERS, sealed: REASONS }),
    ],
    'RU',
  ),
  build(
    'S-outcome',
    'outcome-reported',
    [
      ack('S-outcome'),
      entry('RU', day(2), 'request.consult', { request: 'S-outcome', ground: 'nationality' }),
      entry('US', day(3), 'request.consult-reply', { request: 'S-outcome' }),
      entry('RU', day(5), 'request.decide', { request: 'S-outcome', decision: 'refuse-prosecute', ground: 'nationality', approvers: APPROVERS, sealed: REASONS }),
      entry('RU', day(6), 'prosecution.milestone', { request: 'S-outcome', milestone: 'opened' }),
      entry('RU', day(7), 'prosecution.outcome', { request: 'S-outcome', outcome: 'acquitted' }),
    ],
    'RU',
  ),
  build('S-withdrawn', 'withdrawn', [entry('US', day(1), 'request.withdraw', { request: 'S-withdrawn', sealed: REASONS })]),
];
// A provisional-arrest request superseded by the full request that follows it (ECE art. 16(4)).
setups.push({
  status: 'superseded',
  id: 'S-pa',
  state: run(
    [
      entry('US', day(0), 'request.file', fileBody('S-pa', { kind: 'provisional-arrest' })),
      entry('RU', day(0), 'request.arrest', { request: 'S-pa' }),
      entry('US', day(5), 'request.file', fileBody('S-pa-full', { follows: 'S-pa' })),
    ],
    adopted,
  ),
});

const UNDECIDED: RequestStatus[] = ['filed', 'acknowledged', 'info-requested', 'info-supplied'];
const BEFORE_SURRENDER: RequestStatus[] = [...UNDECIDED, 'granted', 'granted-conditional', 'surrender-scheduled'];

const probes: { name: string; legal: RequestStatus[]; make: (id: string) => AnyDomainEntry }[] = [
  { name: 'acknowledge', legal: ['filed'], make: (id) => entry('RU', day(10), 'request.acknowledge', { request: id }) },
  { name: 'ask-info', legal: ['acknowledged', 'info-supplied'], make: (id) => entry('RU', day(10), 'request.ask-info', { request: id }) },
  { name: 'supply-info', legal: ['info-requested'], make: (id) => entry('US', day(10), 'request.supply-info', { request: id }) },
  { name: 'consent', legal: UNDECIDED, make: (id) => entry('RU', day(10), 'request.consent', { request: id }) },
  { name: 'extend', legal: UNDECIDED, make: (id) => entry('RU', day(10), 'request.extend', { request: id, sealed: REASONS }) },
  { name: 'consult', legal: UNDECIDED, make: (id) => entry('RU', day(10), 'request.consult', { request: id, ground: 'fiscal' }) },
  { name: 'decide', legal: ['acknowledged', 'info-requested', 'info-supplied'], make: (id) => entry('RU', day(10), 'request.decide', { request: id, decision: 'grant', approvers: APPROVERS }) },
  { name: 'schedule-surrender', legal: ['granted', 'surrender-scheduled'], make: (id) => entry('RU', day(10), 'request.schedule-surrender', { request: id, date: '2021-06-30' }) },
  { name: 'surrender', legal: ['surrender-scheduled'], make: (id) => entry('RU', day(10), 'request.surrender', { request: id }) },
  { name: 'confirm-receipt', legal: ['surrendered'], make: (id) => entry('US', day(10), 'request.confirm-receipt', { request: id }) },
  { name: 'withdraw', legal: BEFORE_SURRENDER, make: (id) => entry('US', day(10), 'request.withdraw', { request: id, sealed: REASONS }) },
  { name: 'prosecution opened', legal: ['refused-prosecute-instead'], make: (id) => entry('RU', day(10), 'prosecution.milestone', { request: id, milestone: 'opened' }) },
];

describe('request transitions: every entry type from every status', () => {
  for (const probe of probes) {
    for (const setup of setups) {
      const legal = probe.legal.includes(setup.status);
      // The refused-prosecute setup is an RU national: a grant there is illegal for its status anyway.
      it(`${probe.name} from ${setup.status}: ${legal ? 'applies' : 'ILLEGAL_TRANSITION'}`, () => {
        const item = probe.make(setup.id);
        if (legal) {
          const result = apply(setup.state, item);
          assert.ok(result.ok, result.ok ? '' : `${result.error.code}: ${result.error.message}`);
          const after = getRequest(result.value, setup.id);
          assert.equal(after?.history.at(-1)?.type, item.type);
          assert.equal(after?.history.at(-1)?.index, setup.state.size);
        } else {
          const error = refused(setup.state, item, 'ILLEGAL_TRANSITION');
          assert.match(error.message, new RegExp(`^body\\.request: cannot .* ${setup.id}`));
          assert.equal(error.field, 'body.request');
        }
      });
    }
  }
});

describe('request transitions: statuses after each legal step', () => {
  const cases: [string, RequestStatus, string, RequestStatus][] = [
    ['S-filed', 'filed', 'acknowledge', 'acknowledged'],
    ['S-ack', 'acknowledged', 'ask-info', 'info-requested'],
    ['S-info', 'info-requested', 'supply-info', 'info-supplied'],
    ['S-granted', 'granted', 'schedule-surrender', 'surrender-scheduled'],
    ['S-sched', 'surrender-scheduled', 'surrender', 'surrendered'],
    ['S-surr', 'surrendered', 'confirm-receipt', 'received'],
    ['S-cond', 'granted-conditional', 'withdraw', 'withdrawn'],
  ];
  for (const [id, from, probeName, to] of cases) {
    it(`${probeName}: ${from} → ${to}`, () => {
      const setup = setups.find((candidate) => candidate.id === id)!;
      const probe = probes.find((candidate) => candidate.name === probeName)!;
      const state = run([probe.make(id)], setup.state);
      assert.equal(getRequest(state, id)?.status, to);
    });
  }

  it('a full request that follows a provisional arrest supersedes it and inherits the arrest (ECE art. 16(4))', () => {
    const setup = setups.find((candidate) => candidate.id === 'S-pa')!;
    assert.equal(getRequest(setup.state, 'S-pa')?.supersededBy, 'S-pa-full');
    assert.equal(getRequest(setup.state, 'S-pa-full')?.arrestedAt, day(0));
    assert.equal(getRequest(setup.state, 'S-pa-full')?.follows, 'S-pa');
  });
});

describe('request transitions: a party acts only for itself', () => {
  const setup = setups.find((candidate) => candidate.id === 'S-supplied')!;
  const cases: [string, AnyDomainEntry, string][] = [
    ['the requesting party cannot acknowledge', entry('US', day(10), 'request.acknowledge', { request: 'S-supplied' }), 'NOT_REQUESTED_PARTY'],
    ['the requesting party cannot decide', entry('US', day(10), 'request.decide', { request: 'S-supplied', decision: 'grant', approvers: APPROVERS }), 'NOT_REQUESTED_PARTY'],
    ['the requesting party cannot arrest', entry('US', day(10), 'request.arrest', { request: 'S-supplied' }), 'NOT_REQUESTED_PARTY'],
    ['the requested party cannot withdraw', entry('RU', day(10), 'request.withdraw', { request: 'S-supplied', sealed: REASONS }), 'NOT_REQUESTING_PARTY'],
    ['the requested party cannot supply information', entry('RU', day(10), 'request.supply-info', { request: 'S-supplied' }), 'NOT_REQUESTING_PARTY'],
    ['the requested party cannot give assurances', entry('RU', day(10), 'request.assure', { request: 'S-supplied', assurances: ['no-death-penalty'] }), 'NOT_REQUESTING_PARTY'],
    ['the requested party cannot confirm receipt', entry('RU', day(10), 'request.confirm-receipt', { request: 'S-supplied' }), 'NOT_REQUESTING_PARTY'],
    ['the requesting party cannot report prosecution', entry('US', day(10), 'prosecution.milestone', { request: 'S-supplied', milestone: 'opened' }), 'NOT_REQUESTED_PARTY'],
    ['a non-party cannot act at all', entry('CH', day(10), 'request.acknowledge', { request: 'S-supplied' }), 'AUTHOR_NOT_A_PARTY'],
    ['an unknown request is refused', entry('RU', day(10), 'request.acknowledge', { request: 'nope' }), 'REQUEST_UNKNOWN'],
  ];
  for (const [name, item, code] of cases) {
    it(`${name} (${code})`, () => {
      const error = refused(setup.state, item, code);
      assert.equal(error.field, code === 'REQUEST_UNKNOWN' ? 'body.request' : 'author');
    });
  }
});
