import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply, genesis } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, day, entry, fileBody, refused, run } from './request-helpers.ts';

const treaty = treaty2021();
const propose = (author: string, document = treaty) => entry(author, day(-1), 'treaty.propose', { treaty: document });
const ratify = (author: string, version = treaty.version) => entry(author, day(-1), 'treaty.ratify', { treaty: treaty.id, version });

describe('treaty adoption (DESIGN.md "The treaty": adopted when every party has signed it in the log)', () => {
  it('is adopted once every party has ratified, proposer included', () => {
    const proposed = run([propose('RU'), ratify('RU')]);
    assert.equal(proposed.treaty, undefined);
    const adopted = run([ratify('US')], proposed);
    assert.equal(adopted.treaty?.id, 'us-ru-2021');
    assert.deepEqual(adopted.proposals, []);
  });

  it('refuses request entries before adoption (TREATY_NOT_ADOPTED)', () => {
    refused(genesis(), entry('US', day(0), 'request.file', fileBody('US-1')), 'TREATY_NOT_ADOPTED');
    refused(run([propose('RU'), ratify('RU')]), entry('US', day(0), 'request.file', fileBody('US-1')), 'TREATY_NOT_ADOPTED');
  });

  it('accepts only parties of the proposed treaty, each once', () => {
    refused(genesis(), propose('CH'), 'AUTHOR_NOT_A_PARTY');
    const proposed = run([propose('RU')]);
    refused(proposed, ratify('CH'), 'AUTHOR_NOT_A_PARTY');
    refused(run([ratify('RU')], proposed), ratify('RU'), 'ALREADY_RATIFIED');
    refused(proposed, propose('US'), 'PROPOSAL_EXISTS');
    refused(proposed, ratify('RU', 2), 'PROPOSAL_UNKNOWN');
  });

  it('rejects a treaty whose cross-references are broken, naming the path (TREATY_INVALID)', () => {
    const broken = structuredClone(treaty);
    broken.consultation = [{ ground: 'no-such-ground', days: 15, article: 'UNTOC art. 16(16)' }];
    const error = refused(genesis(), propose('RU', broken), 'TREATY_INVALID');
    assert.equal(error.field, 'body.treaty.consultation[0].ground');
  });

  it('rejects a malformed treaty body with the zod path (BODY_INVALID)', () => {
    const bad = { ...treaty, deadlines: { ...treaty.deadlines, decideDays: 'sixty' } };
    const error = refused(genesis(), entry('RU', day(-1), 'treaty.propose', { treaty: bad } as never), 'BODY_INVALID');
    assert.equal(error.field, 'body.treaty.deadlines.decideDays');
    assert.match(error.message, /body\.treaty\.deadlines\.decideDays: expected number, found string "sixty"/);
  });

  it('amends by a higher version of the same treaty, through the same path', () => {
    const adopted = run(adoption(treaty));
    const amended = { ...structuredClone(treaty), version: 2 };
    amended.deadlines.acknowledgeDays = 7;
    refused(adopted, propose('US', treaty), 'TREATY_VERSION_STALE');
    refused(adopted, propose('US', { ...structuredClone(treaty), id: 'other', version: 2 }), 'TREATY_VERSION_STALE');
    const pending = run([propose('US', amended), ratify('US', 2)], adopted);
    assert.equal(pending.treaty?.version, 1, 'version 1 stays in force until every party ratifies version 2');
    const done = run([ratify('RU', 2)], pending);
    assert.equal(done.treaty?.version, 2);
    assert.equal(done.treaty?.deadlines.acknowledgeDays, 7);
  });

  it('refuses an entry with a bad envelope or type without throwing', () => {
    const state = run(adoption(treaty));
    assert.equal(refused(state, { author: 'US', time: 1.5, type: 'request.file', body: fileBody('X') } as never, 'ENTRY_INVALID').field, 'time');
    assert.equal(refused(state, { author: 'US', time: day(0), type: 'request.teleport', body: {} } as never, 'TYPE_UNKNOWN').field, 'type');
    assert.equal(apply(state, null as never).ok, false);
  });
});
