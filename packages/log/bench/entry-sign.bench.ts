/**
 * Canonicalise and sign an entry (issue 3: goal ≥ 20,000/s): JCS of a request.file envelope
 * of about 1 KB, Ed25519 over "evenhand-entry/v1\n" ‖ JCS, then the signed entry's JCS bytes.
 * Run: node --import tsx packages/log/bench/entry-sign.bench.ts
 */
import { createHash } from 'node:crypto';
import { signEntry, treatyOrigin, type UnsignedEntry } from '../src/index.ts';
import { best, report } from '@evenhand/testing';
import { ed25519Ceiling } from './ed25519-ceiling.ts';

const seed = new Uint8Array(createHash('sha256').update('bench').digest());
const base: UnsignedEntry = {
  v: 1, log: treatyOrigin('us-ru-2021'), author: 'US', seq: 7, prev: 'ab'.repeat(32),
  seen: { size: 120, root: 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=' }, time: 1_625_000_000, type: 'request.file',
  body: {
    request: 'US-2021-001', requested: 'RU', kind: 'extradition', purpose: 'prosecution',
    subject: { pseudonym: 'colonial-affiliate-1', nationalities: ['RU'], ageAtOffence: 31 },
    offences: ['ransomware-extortion', 'laundering', 'system-interference'], offenceDate: '2021-05-07',
    facts: { finalJudgment: false, amnesty: false, politicalOffence: false, discriminationRisk: false, militaryOffence: false, fiscalOffence: false, pendingProceedings: false },
    sealed: { identity: 'sealed identity of colonial-affiliate-1', statement: 'x'.repeat(400) },
  },
};
const count = 20_000;
let size = 0;
const seconds = best(3, () => {
  for (let i = 0; i < count; i++) size = signEntry({ ...base, seq: i + 1 }, seed).bytes.length;
});
const ceiling = ed25519Ceiling(size);
report(`canonicalise + sign an entry (${size} bytes)`, count / seconds, 'entries/s', 20_000, 'higher', `raw Ed25519 signing alone on this machine: ${Math.round(ceiling.signPerSecond).toLocaleString('en-US')}/s`);
