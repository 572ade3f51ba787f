import { addDays, isoTime, type UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import type { AnyDomainEntry, EntryBody, EntryType } from '../request/entries.ts';

/**
 * The 2021 scenario (DESIGN.md "The 2021 scenario") as log entries, for `npm start`, the
 * demo and the tests. Parties US and RU; every person is a pseudonymous placeholder.
 *
 * Entry times are relative to `now` (all in the past), so that deadlines read
 * realistically whenever the demo runs. Offence dates are relative too: a request dated after
 * May 2026 for offences of May 2021 would be past the US five-year limitation period
 * (18 U.S.C. § 3282(a)), and `evaluate` would rightly find lapse of time (ECE art. 10) and
 * block every grant. The attacks themselves are public facts, registered as incidents with
 * their real dates (issue 17, see `incidents2021`), and the US requests name them.
 *
 * What the statistics show at `now`: RU answered most US requests (a refusal on
 * nationality with prosecution instead, a grant carried out) but leaves one unanswered past
 * its deadline; the US answered one RU request with a grant conditional on reciprocity and
 * leaves one unanswered and unacknowledged; each side has obligations still in time, and
 * RU owes a prosecution report and a full request after a provisional arrest.
 * Trades are a later issue: the conditional grant is the leg a trade would use.
 */
export function scenario2021(treaty: Treaty, now: UnixSeconds): AnyDomainEntry[] {
  const base = Math.floor(now);
  /** `n` days before `now`. */
  const ago = (n: number) => addDays(base, -n);
  const date = (at: UnixSeconds) => isoTime(at).slice(0, 10);
  const entries: AnyDomainEntry[] = [];
  const add = <T extends EntryType>(author: string, time: UnixSeconds, type: T, body: EntryBody<T>) => {
    entries.push({ author, time, type, body } as AnyDomainEntry);
  };
  const approvers = (party: string) => [`${party.toLowerCase()}-approver-1`, `${party.toLowerCase()}-approver-2`];
  const noFacts = { finalJudgment: false, amnesty: false, politicalOffence: false, discriminationRisk: false, militaryOffence: false, fiscalOffence: false, pendingProceedings: false };
  const file = (
    author: string,
    time: UnixSeconds,
    request: string,
    requested: string,
    subject: { pseudonym: string; nationalities: string[]; ageAtOffence: number },
    offences: string[],
    offenceDaysBeforeFiling: number,
    statement: string,
    extra: Partial<EntryBody<'request.file'>> = {},
  ) =>
    add(author, time, 'request.file', {
      request,
      requested,
      kind: 'extradition',
      purpose: 'prosecution',
      subject,
      offences,
      offenceDate: date(addDays(time, -offenceDaysBeforeFiling)),
      facts: noFacts,
      sealed: { identity: `sealed identity of ${subject.pseudonym}`, statement },
      ...extra,
    });
  const decide = (author: string, time: UnixSeconds, request: string, decision: Partial<EntryBody<'request.decide'>> & Pick<EntryBody<'request.decide'>, 'decision'>) =>
    add(author, time, 'request.decide', { request, assurances: [], onReciprocity: false, findings: {}, approvers: approvers(author), ...decision });

  // Adoption: RU proposes (the offer of 13 June 2021: "the same" rules for both), both ratify.
  add('RU', ago(200), 'treaty.propose', { treaty });
  add('RU', ago(200), 'treaty.ratify', { treaty: treaty.id, version: treaty.version });
  add('US', ago(195), 'treaty.ratify', { treaty: treaty.id, version: treaty.version });

  // The two attacks the US requests concern, registered by the US before it files them (issue 17).
  for (const incident of incidents2021) add('US', ago(192), 'incident.register', incident);
  const [colonial, jbs] = incidents2021.map((incident) => incident.incident) as [string, string];

  // US → RU 1: a DarkSide affiliate (Colonial Pipeline). RU consults, then refuses on
  // nationality (Constitution art. 61) and must prosecute instead; the prosecution was
  // opened but its 90-day report is overdue (Budapest art. 24(6)).
  file('US', ago(190), 'US-2021-001', 'RU', { pseudonym: 'ds-affiliate-07', nationalities: ['RU'], ageAtOffence: 31 }, ['ransomware-extortion', 'data-interference', 'laundering'], 120,
    'Affiliate of the ransomware group behind the Colonial Pipeline attack (7 May 2021).', { incidents: [colonial] });
  add('RU', ago(186), 'request.acknowledge', { request: 'US-2021-001' });
  add('RU', ago(160), 'request.consult', { request: 'US-2021-001', ground: 'nationality', sealed: { message: 'The person is a national of the Russian Federation.' } });
  add('US', ago(150), 'request.consult-reply', { request: 'US-2021-001', sealed: { message: 'The United States asks for prosecution on the evidence supplied.' } });
  decide('RU', ago(140), 'US-2021-001', { decision: 'refuse-prosecute', ground: 'nationality', sealed: { reasons: 'Constitution art. 61(1).' } });
  add('RU', ago(120), 'prosecution.milestone', { request: 'US-2021-001', milestone: 'opened' });

  // US → RU 2: a REvil affiliate (JBS). Acknowledged, then silence past the decision deadline.
  file('US', ago(170), 'US-2021-002', 'RU', { pseudonym: 'revil-affiliate-12', nationalities: ['RU'], ageAtOffence: 27 }, ['ransomware-extortion', 'system-interference'], 150,
    'Affiliate of the ransomware group behind the JBS attack (30 May 2021).', { incidents: [jbs] });
  add('RU', ago(168), 'request.acknowledge', { request: 'US-2021-002' });

  // US → RU 3: a launderer for the same group, not a Russian national: granted and surrendered.
  file('US', ago(120), 'US-2021-003', 'RU', { pseudonym: 'ds-launderer-02', nationalities: ['UA'], ageAtOffence: 38 }, ['laundering'], 200,
    'Laundered proceeds of the Colonial Pipeline ransom.', { incidents: [colonial], related: [{ request: 'US-2021-001', relation: 'same-group' }] });
  add('RU', ago(118), 'request.acknowledge', { request: 'US-2021-003' });
  decide('RU', ago(90), 'US-2021-003', { decision: 'grant' });
  add('RU', ago(88), 'request.schedule-surrender', { request: 'US-2021-003', date: date(ago(85)), place: 'Geneva' });
  add('RU', ago(85), 'request.surrender', { request: 'US-2021-003' });
  add('US', ago(84), 'request.confirm-receipt', { request: 'US-2021-003' });

  // US → RU 4: another DarkSide affiliate; RU asked for information, the US supplied it, the decision is still in time.
  file('US', ago(40), 'US-2021-004', 'RU', { pseudonym: 'ds-affiliate-19', nationalities: ['RU'], ageAtOffence: 24 }, ['ransomware-extortion'], 90,
    'Negotiator for the group behind the Colonial Pipeline attack.', { incidents: [colonial], related: [{ request: 'US-2021-001', relation: 'co-accused' }] });
  add('RU', ago(36), 'request.acknowledge', { request: 'US-2021-004' });
  add('RU', ago(30), 'request.ask-info', { request: 'US-2021-004', sealed: { questions: 'Wallet attribution evidence.' } });
  add('US', ago(20), 'request.supply-info', { request: 'US-2021-004', sealed: { answer: 'Attached.' } });

  // RU → US 1: fraud against Russian banks; the US grants on condition of reciprocity (a trade leg).
  file('RU', ago(180), 'RU-2021-001', 'US', { pseudonym: 'bank-fraud-04', nationalities: ['RU'], ageAtOffence: 29 }, ['computer-fraud', 'laundering'], 100,
    'Fraud against Russian banks through compromised payment systems.');
  add('US', ago(178), 'request.acknowledge', { request: 'RU-2021-001' });
  decide('US', ago(130), 'RU-2021-001', { decision: 'grant-conditional', onReciprocity: true });

  // RU → US 2: intrusion into Russian infrastructure by a US national; never acknowledged, never decided.
  // Since RU invoked nationality against the US, the US may refuse its own national (mirrored ground).
  file('RU', ago(150), 'RU-2021-002', 'US', { pseudonym: 'infra-intrusion-01', nationalities: ['US'], ageAtOffence: 35 }, ['illegal-access', 'system-interference'], 60,
    'Intrusion into the control systems of a Russian energy company.');

  // RU → US 3: intrusion; the US extended the decision period once, with reasons, and is still in time.
  file('RU', ago(80), 'RU-2021-003', 'US', { pseudonym: 'infra-intrusion-02', nationalities: ['RU'], ageAtOffence: 33 }, ['illegal-access', 'data-interference'], 100,
    'Data destruction at a Russian regional network operator.');
  add('US', ago(77), 'request.acknowledge', { request: 'RU-2021-003' });
  add('US', ago(30), 'request.extend', { request: 'RU-2021-003', sealed: { reasons: 'Forensic review of seized devices.' } });

  // RU → US 4: provisional arrest of a bank-fraud suspect travelling in the US (ECE art. 16);
  // RU's full request is overdue (18 days), the 40-day limit is not yet reached.
  file('RU', ago(25), 'RU-2021-004', 'US', { pseudonym: 'bank-fraud-09', nationalities: ['RU'], ageAtOffence: 41 }, ['computer-fraud'], 70,
    'Cash-out organiser for fraud against Russian banks.', { kind: 'provisional-arrest' });
  add('US', ago(24), 'request.acknowledge', { request: 'RU-2021-004' });
  add('US', ago(22), 'request.arrest', { request: 'RU-2021-004' });

  // A proposed trade (DESIGN.md "The 2021 scenario"): the person the US granted on condition
  // of reciprocity (RU-2021-001) against a prisoner Russia would pardon and release to the US.
  // The US proposed and signed it; Russia has not signed yet.
  add('US', ago(10), 'trade.propose', {
    trade: 'T-2021-1',
    legs: [
      { kind: 'request', request: 'RU-2021-001' },
      { kind: 'voluntary', from: 'RU', to: 'US', subject: 'pardoned-03', reason: 'pardon' },
    ],
    coordinator: 'exchange',
    deadline: addDays(now, 30),
    venue: 'Geneva',
  });
  add('US', ago(9), 'trade.sign', { trade: 'T-2021-1', approvers: approvers('US') });

  // The log is in time order; entries of the same instant keep their order above.
  return entries.map((entry, index) => ({ entry, index })).sort((a, b) => a.entry.time - b.entry.time || a.index - b.index).map(({ entry }) => entry);
}

/**
 * The incidents of the 2021 offer (issue 17), as public facts: reference/cooperation.md,
 * checked against press reports of the time.
 * - Colonial Pipeline: DarkSide's ransomware attack of 7 May 2021 shut the largest US pipeline
 *   system for refined oil products down for several days; Colonial paid 75 BTC (about USD 4.4
 *   million), and on 7 June 2021 the US Department of Justice announced the seizure of 63.7 BTC
 *   of it (Reuters in the National Post, "U.S. seizes $2.3 mln in Bitcoin paid to Colonial
 *   Pipeline hackers", 7 June 2021; Law360, https://www.law360.com/articles/1391794).
 * - JBS: REvil's ransomware attack, which JBS learned of on 30 May 2021, stopped its beef
 *   plants in the United States and Australia; JBS paid the equivalent of USD 11 million, and
 *   the FBI attributed the attack to REvil (JBS USA statement of 9 June 2021, as reported by
 *   NBC, "Meat Supplier JBS Paid Ransomware Hackers $11 Million", 9 June 2021, and by Yahoo
 *   News/The Week for the date of 30 May).
 * Sectors are those of the NIS 2 Directive (incidents/sectors.ts).
 */
export const incidents2021: readonly EntryBody<'incident.register'>[] = [
  {
    incident: 'colonial-pipeline-2021',
    name: 'Colonial Pipeline',
    date: '2021-05-07',
    sector: 'energy',
    description: 'Ransomware shut down the largest US pipeline system for refined oil products for several days. A ransom of 75 BTC (about USD 4.4 million) was paid; on 7 June 2021 the US Department of Justice announced the seizure of 63.7 BTC of it.',
    group: 'DarkSide',
  },
  {
    incident: 'jbs-2021',
    name: 'JBS',
    date: '2021-05-30',
    sector: 'food',
    description: "Ransomware stopped JBS's beef plants in the United States and Australia from 30 May 2021. A ransom equivalent to USD 11 million was paid.",
    group: 'REvil',
  },
];
