import { addDays, isoTime, type UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import type { AnyDomainEntry, EntryBody, EntryType } from '../request/entries.ts';

/**
 * A state joins the 2021 arrangement (issue 11: three or more states, everywhere): the amended
 * treaty that lists it is proposed by a party in force and ratified by every party of the
 * amendment, the joiner included; then the newcomer both asks and is asked. Times are `n` days
 * before `now`, after the 2021 scenario's last entry (the trade signature, 9 days ago), so the
 * two scenarios merge in time order. `offset` keeps several joiners apart.
 */
export function accessionScenario(amended: Treaty, joiner: string, now: UnixSeconds, offset = 0): AnyDomainEntry[] {
  const base = Math.floor(now);
  const ago = (days: number) => addDays(base, -days) + offset * 60;
  const entries: AnyDomainEntry[] = [];
  const add = <T extends EntryType>(author: string, time: UnixSeconds, type: T, body: EntryBody<T>) => entries.push({ author, time, type, body } as AnyDomainEntry);
  const proposer = amended.parties.find((party) => party.id !== joiner)!.id;
  add(proposer, ago(8), 'treaty.propose', { treaty: amended });
  for (const party of amended.parties) add(party.id, ago(8), 'treaty.ratify', { treaty: amended.id, version: amended.version });

  const lower = joiner.toLowerCase();
  const noFacts = { finalJudgment: false, amnesty: false, politicalOffence: false, discriminationRisk: false, militaryOffence: false, fiscalOffence: false, pendingProceedings: false };
  const date = (at: UnixSeconds) => isoTime(at).slice(0, 10);
  const others = amended.parties.map((party) => party.id).filter((id) => id !== joiner);
  // The newcomer asks the first other party for a ransomware affiliate it holds...
  const asked = others[others.length > 1 ? 1 : 0]!;
  add(joiner, ago(7), 'request.file', {
    request: `${joiner}-2021-001`, requested: asked, kind: 'extradition', purpose: 'prosecution',
    subject: { pseudonym: `${lower}-ransom-01`, nationalities: ['UA'], ageAtOffence: 34 }, offences: ['ransomware-extortion', 'laundering'], offenceDate: date(ago(200)), facts: noFacts,
    sealed: { identity: `sealed identity of ${lower}-ransom-01`, statement: `Extortion of ${joiner} hospitals by ransomware.` },
  });
  add(asked, ago(6), 'request.acknowledge', { request: `${joiner}-2021-001` });
  // ...and is asked for one of its own nationals, which its law bars: nationality is available to it.
  add(others[0]!, ago(5), 'request.file', {
    request: `${others[0]}-2021-${lower}1`, requested: joiner, kind: 'extradition', purpose: 'prosecution',
    subject: { pseudonym: `${lower}-carder-02`, nationalities: [joiner], ageAtOffence: 26 }, offences: ['computer-fraud'], offenceDate: date(ago(150)), facts: noFacts,
    sealed: { identity: `sealed identity of ${lower}-carder-02`, statement: 'Card fraud against customers of US banks.' },
  });
  return entries;
}
