import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { formatAddCheckpointBody, makeSigner, signCheckpoint, treeFromEntries, utf8, verifierOf, type MerkleTree } from '@evenhand/log';
import { openStore, readCheckpoint, type Store } from '@evenhand/store';
import { ORIGIN, scenarioKeys, testSeed } from '@evenhand/testing';
import { buildWitnessApp } from '../src/witness/witness-app.ts';

/**
 * Adversarial checks of the C2SP tlog-witness service: it must never cosign two
 * inconsistent checkpoints, whatever the interleaving of requests, the number of processes
 * on its store, or restarts; and it must answer malformed requests with the spec's codes.
 */
const keys = scenarioKeys();
const cosigner = keys.witnesses.get('CH')!;

function tree(label: string, size: number): MerkleTree {
  return treeFromEntries(Array.from({ length: size }, (_, i) => utf8(`${label}-${i}`)));
}

function note(t: MerkleTree, size = t.size): string {
  const signed = signCheckpoint({ origin: ORIGIN, size, root: t.root(size) }, keys.log);
  if (!signed.ok) throw new Error(signed.error.message);
  return signed.value;
}

/** An add-checkpoint body for `t` at `size`, with the proof from `oldSize` computed on `t` itself. */
function body(oldSize: number, t: MerkleTree, size = t.size): string {
  if (oldSize === 0) return formatAddCheckpointBody(0, [], note(t, size));
  const proof = t.consistencyProof(oldSize, size);
  if (!proof.ok) throw new Error(proof.error.message);
  return formatAddCheckpointBody(oldSize, proof.value, note(t, size));
}

describe('adversarial: the witness service', () => {
  let dir: string;
  const stores: Store[] = [];
  const apps: FastifyInstance[] = [];

  /**
   * A witness on `file`. With `slow`, the extra check between reading the stored state and
   * the compare-and-swap takes 50 ms (as a gateway's mirror check does over the network), so
   * concurrent requests really overlap there.
   */
  async function witness(file: string, slow = false): Promise<{ app: FastifyInstance; store: Store }> {
    const store = await openStore({ engine: 'sqlite', file: join(dir, file) });
    const agrees = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return undefined;
    };
    const app = buildWitnessApp({ store, cosigner, logs: new Map([[ORIGIN, [verifierOf(keys.log)]]]), now: () => 1_700_000_000, ...(slow ? { agrees } : {}) });
    stores.push(store);
    apps.push(app);
    return { app, store };
  }
  const post = (app: FastifyInstance, payload: string) => app.inject({ method: 'POST', url: '/add-checkpoint', payload, headers: { 'content-type': 'text/plain' } });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-adv-witness-'));
  });
  after(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cosigns at most one of many concurrent, mutually inconsistent checkpoints', async () => {
    const { app } = await witness('concurrent.db', true);
    // Ten forks of the same size and ten of growing sizes, all from old 0, sent at once.
    const forks = Array.from({ length: 10 }, (_, i) => body(0, tree(`fork${i}`, 5)));
    const growing = Array.from({ length: 10 }, (_, i) => body(0, tree(`grow${i}`, 6 + i)));
    const answers = await Promise.all([...forks, ...growing].map((payload) => post(app, payload)));
    const cosigned = answers.filter((answer) => answer.statusCode === 200);
    assert.equal(cosigned.length, 1, `exactly one cosignature, got ${answers.map((a) => a.statusCode).join(',')}`);
    for (const answer of answers) assert.ok([200, 409].includes(answer.statusCode), `${answer.statusCode} ${answer.body}`);
  });

  it('two witness processes on one store never cosign two forks (the compare-and-swap holds across processes)', async () => {
    const a = await witness('shared.db', true);
    const b = await witness('shared.db', true);
    let honest: Uint8Array[] = [];
    for (let round = 0; round < 5; round++) {
      // Each round: two forks that both extend what the witness holds, one sent to each process.
      const current = honest.length;
      const left = [...honest, ...Array.from({ length: 3 }, (_, i) => utf8(`left-${round}-${i}`))];
      const right = [...honest, ...Array.from({ length: 3 }, (_, i) => utf8(`right-${round}-${i}`))];
      const [one, two] = await Promise.all([post(a.app, body(current, treeFromEntries(left))), post(b.app, body(current, treeFromEntries(right)))]);
      assert.deepEqual([one.statusCode, two.statusCode].sort(), [200, 409], `round ${round}: exactly one fork is cosigned (${one.body} / ${two.body})`);
      honest = one.statusCode === 200 ? left : right;
      const stored = await readCheckpoint(a.store.db, 'witness_state', ORIGIN);
      assert.deepEqual(stored && [...stored.root], [...treeFromEntries(honest).root()], 'the store holds the cosigned fork');
    }
  });

  it('does not roll back after a restart: the stored checkpoint binds the new process', async () => {
    const first = await witness('restart.db');
    const honest = tree('honest', 8);
    assert.equal((await post(first.app, body(0, honest, 5))).statusCode, 200);
    assert.equal((await post(first.app, body(5, honest, 8))).statusCode, 200);
    await first.app.close();
    apps.splice(apps.indexOf(first.app), 1);
    await first.store.close();
    stores.splice(stores.indexOf(first.store), 1);

    const second = await witness('restart.db');
    // A client that pretends the witness is new (old 0) gets 409 with the persisted size.
    const fresh = await post(second.app, body(0, tree('rollback', 3)));
    assert.equal(fresh.statusCode, 409);
    assert.equal(fresh.body.trim(), '8');
    assert.equal(fresh.headers['content-type'], 'text/x.tlog.size');
    // An older size of the same log, or a fork at the same size, are refused too.
    assert.equal((await post(second.app, body(0, honest, 5))).statusCode, 409);
    assert.equal((await post(second.app, body(8, tree('fork', 8)))).statusCode, 409);
    // A fork that grows from 8 with a proof from its own (inconsistent) tree: bad proof.
    const fork = tree('fork', 12);
    const forged = await post(second.app, body(8, fork, 12));
    assert.equal(forged.statusCode, 422, forged.body);
    // The honest continuation is still cosigned.
    const more = tree('honest', 12);
    assert.equal((await post(second.app, body(8, more, 12))).statusCode, 200);
  });

  it('answers malformed bodies 400, unknown origins 404, foreign log keys 403, too many proof lines 400, old > new 400', async () => {
    const { app } = await witness('malformed.db');
    const t = tree('m', 4);
    const cases: [string, string, number][] = [
      ['empty body', '', 400],
      ['JSON', '{"old":0}', 400],
      ['no blank line', `old 0\n${note(t)}`, 400],
      ['old not a number', `old x\n\n${note(t)}`, 400],
      ['old with a leading zero', `old 01\n\n${note(t)}`, 400],
      ['old negative', `old -1\n\n${note(t)}`, 400],
      ['a proof line that is not a hash', `old 0\nnot-base64!\n\n${note(t)}`, 400],
      ['64 proof lines', `old 0\n${`${Buffer.alloc(32).toString('base64')}\n`.repeat(64)}\n${note(t)}`, 400],
      ['a checkpoint without signatures', `old 0\n\n${ORIGIN}\n4\n${Buffer.from(t.root()).toString('base64')}\n`, 400],
      ['old larger than the checkpoint', body(0, t).replace(/^old 0/, 'old 9'), 400],
    ];
    for (const [what, payload, status] of cases) {
      const answer = await post(app, payload);
      assert.equal(answer.statusCode, status, `${what}: ${answer.statusCode} ${answer.body}`);
    }
    const otherOrigin = signCheckpoint({ origin: 'evenhand/other', size: 4, root: t.root() }, makeSigner('evenhand/other', testSeed('other-log')));
    assert.ok(otherOrigin.ok);
    assert.equal((await post(app, formatAddCheckpointBody(0, [], otherOrigin.value))).statusCode, 404, 'unknown origin');
    const impostor = signCheckpoint({ origin: ORIGIN, size: 4, root: t.root() }, makeSigner(ORIGIN, testSeed('impostor')));
    assert.ok(impostor.ok);
    assert.equal((await post(app, formatAddCheckpointBody(0, [], impostor.value))).statusCode, 403, 'signed by another key of the same name');
    // Nothing above changed the witness's state: a first honest checkpoint is still cosigned from 0.
    assert.equal((await post(app, body(0, t))).statusCode, 200);
  });
});
