import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AnyDomainEntry, Treaty } from '@evenhand/core';
import { formatVerifierKey, leafHash, makeSigner, signReceipt, verifierOf, type NoteSigner } from '@evenhand/log';
import { recordSubmission } from '@evenhand/store';
import { freePort, keyAmendment, ORIGIN, scenarioPolicy } from '@evenhand/testing';
import { serveLogRoutes, type ServedLog } from '../../server/test/fake-log.ts';
import { adoption, filing, hostileWorld, type HostileWorld } from '../../server/test/hostile-operator.ts';
import { craftLog, everyFourth, type CraftOptions, type HostileLog } from './hostile-log.ts';
import { runCliAsync } from './run-cli.ts';

/**
 * Issue 12's adversarial suite. The attacker holds the log key and the neutral witness's key
 * (CH); for the cells that test `verify` alone it holds every witness key, since a verifier
 * must catch what its own gateway was fooled into cosigning. Each attack runs against
 * `verify` from a directory and from a URL, and against a US gateway started on an empty
 * database and on one that has followed the log; each must be detected with its own reason.
 * A cell that does not apply says why in its name (a directory serves no public views; an
 * empty gateway holds no receipts and has cosigned nothing it could be rolled back from).
 */
const DAY = 86_400;
const T = Math.floor(Date.now() / 1000);
const YEAR_2100 = 4_102_444_800;

type Verdict = { code: string; message: string };

describe('a hostile operator holding the log key and the neutral witness key', () => {
  let world: HostileWorld;
  let work: string;
  let policyFile: string;
  let exchange: FastifyInstance;
  let exchangeUrl: string;
  let served: ServedLog | undefined;
  let ruWitness: FastifyInstance;
  let ruCosigned: string | undefined;
  let honest: AnyDomainEntry[];
  let cell = 0;

  before(async () => {
    world = await hostileWorld();
    work = mkdtempSync(join(tmpdir(), 'evenhand-hostile-matrix-'));
    // What the exchange serves to `verify --log <url>`, and what RU's witness says it cosigned last.
    exchange = Fastify({ logger: false });
    serveLogRoutes(exchange, () => served);
    const exchangePort = await freePort();
    await exchange.listen({ host: '127.0.0.1', port: exchangePort });
    exchangeUrl = `http://127.0.0.1:${exchangePort}`;
    ruWitness = Fastify({ logger: false });
    ruWitness.get('/checkpoint/cosigned', async (_request, reply) => (ruCosigned ? reply.type('text/plain').send(ruCosigned) : reply.status(404).send('none')));
    const ruPort = await freePort();
    await ruWitness.listen({ host: '127.0.0.1', port: ruPort });
    policyFile = join(work, 'policy.txt');
    writeFileSync(policyFile, scenarioPolicy(world.keys, new Map([['RU', `http://127.0.0.1:${ruPort}`]])));
    honest = [
      ...adoption(world.treaty, T - 200 * DAY),
      filing('US-1', 'US', 'RU', T - 100 * DAY),
      filing('RU-1', 'RU', 'US', T - 90 * DAY),
      filing('US-2', 'US', 'RU', T - 30 * DAY),
      filing('RU-2', 'RU', 'US', T - 20 * DAY),
      filing('US-3', 'US', 'RU', T - 10 * DAY),
    ];
  });
  after(async () => {
    await world?.close();
    await exchange?.close();
    await ruWitness?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** The attacker's log, its checkpoint cosigned by every witness key at T (the verify cells). */
  const forged = (options: Omit<CraftOptions, 'keys'>): HostileLog => craftLog({ keys: world.keys, cosignedAt: () => T, ...options });

  /** `evenhand verify` as US, with US's own entry key, from a directory or from the exchange's URL. */
  async function verify(log: HostileLog, from: 'directory' | 'url', extra: readonly string[] = [], state?: string): Promise<Verdict> {
    const run = join(work, `${++cell}`);
    let source = exchangeUrl;
    if (from === 'directory') {
      source = join(run, 'log');
      for (const [path, bytes] of [...log.tiles, ['checkpoint', new TextEncoder().encode(log.note)] as const]) {
        mkdirSync(dirname(join(source, path)), { recursive: true });
        writeFileSync(join(source, path), bytes);
      }
    } else {
      served = log;
    }
    const usKey = formatVerifierKey(verifierOf(world.keys.authors.get('US')!));
    const result = await runCliAsync(['verify', '--log', source, '--policy', policyFile, '--as', 'US', '--key', usKey, '--state', state ?? join(run, 'state.json'), '--mirror', join(run, 'mirror'), '--evidence', join(run, 'evidence'), '--now', String(T), '--no-progress', ...(extra.includes('--peers') ? [] : ['--no-peers']), ...extra.filter((arg) => arg !== '--peers')]);
    if (result.status === 0) return { code: 'VERIFIED', message: result.stdout };
    const failed = /FAILED \[([A-Z_]+)\] (.*)/.exec(result.stderr);
    return failed ? { code: failed[1]!, message: failed[2]! } : { code: `EXIT_${result.status}`, message: result.stderr };
  }

  /** Opens the US gateway, empty or after it has cosigned `prefix` (a log it followed). */
  async function usGateway(prefix?: HostileLog): Promise<void> {
    await world.open('US', { emptyStore: true });
    if (prefix) world.show('US', await world.cosignedBy('US', prefix));
  }

  /** Asks the US gateway's witness to cosign `log`, as an exchange would: its refusal, or undefined. */
  async function cosignRefusal(log: HostileLog, oldSize = 0): Promise<string | undefined> {
    try {
      world.show('US', await world.cosignedBy('US', log, oldSize));
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  function alarm(code: string): { message: string; evidence?: Readonly<Record<string, string>> } {
    const alarms = world.gateway('US').gateway!.alarms.list();
    const raised = alarms.find((each) => each.code === code);
    assert.ok(raised, `alarm ${code} raised; raised: ${JSON.stringify(alarms.map((each) => [each.code, each.message]))}`);
    return raised;
  }

  /** The attacker's log for a gateway cell: cosigned by CH only; the gateway's witness adds its own. */
  const shown = (options: Omit<CraftOptions, 'keys'>): HostileLog => craftLog({ keys: world.keys, cosigners: ['CH'], cosignedAt: () => T, ...options });

  /** The first `size` entries of an attack, archived as the attack archives them below that size: what a gateway followed before. */
  const prefixOf = (options: Omit<CraftOptions, 'keys'>, size: number): HostileLog =>
    shown({ ...options, entries: options.entries.slice(0, size), archiveAt: (at, times) => (at < size ? (options.archiveAt ?? everyFourth)(at, times) : undefined) });

  describe('1. forged history laundered by an amendment', () => {
    // The log opens with a treaty giving US and RU keys the operator holds; "US" files with it;
    // version 2 restores the real keys, ratified by the fake ones.
    let laundered: Omit<CraftOptions, 'keys'>;
    before(() => {
      const fakes = new Map<string, NoteSigner>([['US', makeSigner('US', new Uint8Array(32).fill(51))], ['RU', makeSigner('RU', new Uint8Array(32).fill(52))]]);
      const fakeTreaty: Treaty = { ...world.treaty, parties: world.treaty.parties.map((party) => ({ ...party, key: formatVerifierKey(verifierOf(fakes.get(party.id)!)) })) };
      const restored = keyAmendment(fakeTreaty, new Map([['US', world.keys.authors.get('US')!], ['RU', world.keys.authors.get('RU')!]]), T - 50 * DAY);
      const entries = [...adoption(fakeTreaty, T - 200 * DAY), filing('US-FORGED', 'US', 'RU', T - 100 * DAY), ...restored.entries, filing('RU-AFTER', 'RU', 'US', T - 10 * DAY), filing('US-AFTER', 'US', 'RU', T - 9 * DAY)];
      const restoredAt = 3 + 1 + restored.entries.length - 1;
      laundered = { entries, seedOf: (author, index) => (index <= restoredAt ? fakes.get(author)!.seed : undefined) };
    });
    for (const from of ['directory', 'url'] as const) {
      it(`verify from a ${from}: ENTRY_NOT_OURS at entry 0`, async () => {
        const verdict = await verify(forged(laundered), from);
        assert.equal(verdict.code, 'ENTRY_NOT_OURS', verdict.message);
        assert.match(verdict.message, /^entry 0 \(treaty\.propose, seq 1\) is authored as US but signed with a key US never held/);
      });
    }
    it('a gateway on an empty database: refuses to cosign, KEY_SUBSTITUTED with the entry as evidence', async () => {
      await usGateway();
      const refusal = await cosignRefusal(shown(laundered));
      assert.match(refusal ?? 'cosigned', /authored as US but signed with a key US never held/);
      assert.equal(alarm('KEY_SUBSTITUTED').evidence?.entryIndex, '0');
    });
    it('a gateway that followed the honest log: refuses to cosign another history, SPLIT_VIEW', async () => {
      await usGateway(shown({ entries: honest }));
      const refusal = await cosignRefusal(shown(laundered), 8);
      assert.match(refusal ?? 'cosigned', /does not extend the tree of size 8 this gateway verified before/);
      assert.ok(alarm('SPLIT_VIEW'));
    });
  });

  describe('2. entry times against the witnessed time', () => {
    const variants: { name: string; code: string; attack: () => Omit<CraftOptions, 'keys'>; message: RegExp }[] = [
      {
        name: 'a request dated an hour after adoption, appended after entries months later',
        code: 'ENTRY_TIME_BACKWARDS',
        attack: () => ({ entries: [...honest, filing('US-BACKDATED', 'US', 'RU', T - 200 * DAY + 3600)] }),
        message: /entry times may go back at most the treaty's skew of 300 s/,
      },
      {
        name: 'an entry dated before the checkpoint it has seen was witnessed',
        code: 'ENTRY_TIME_BEFORE_SEEN',
        attack: () => ({ entries: [...honest, filing('US-EARLY', 'US', 'RU', T - 10 * DAY + 3600)], archiveAt: (size, times) => (size === 8 ? times[7]! + 7200 : everyFourth(size, times)) }),
        message: /the checkpoint of size 8 it has seen was witnessed at .*, 3600 s later/,
      },
      {
        name: 'entries dated after the first checkpoint that covers them was witnessed',
        code: 'ENTRY_TIME_AFTER_WITNESSED',
        attack: () => ({
          entries: [...honest, ...[1, 2, 3, 4].map((n) => filing(`US-LATE-${n}`, 'US', 'RU', T - 5 * DAY + n))],
          archiveAt: (size, times) => (size === 12 ? times[11]! - 3600 : everyFourth(size, times)),
        }),
        message: /the first checkpoint covering it \(size 12\) was witnessed at/,
      },
      {
        name: 'an entry citing a checkpoint the archive lacks',
        code: 'CHECKPOINT_UNARCHIVED',
        attack: () => ({ entries: [...honest, filing('US-UNSEEN', 'US', 'RU', T - 5 * DAY)], archiveAt: (size, times) => (size === 8 ? undefined : everyFourth(size, times)), seenOf: (index) => (index === 8 ? 8 : Math.floor(index / 4) * 4) }),
        message: /the checkpoint of size 8, which the log's checkpoint archive lacks/,
      },
    ];
    for (const variant of variants) {
      for (const from of ['directory', 'url'] as const) {
        it(`${variant.name}: verify from a ${from}, ${variant.code}`, async () => {
          const verdict = await verify(forged(variant.attack()), from);
          assert.equal(verdict.code, variant.code, verdict.message);
          assert.match(verdict.message, variant.message);
        });
      }
      for (const history of [false, true]) {
        it(`${variant.name}: a gateway ${history ? 'that followed the log' : 'on an empty database'} refuses to cosign, ENTRY_TIME_INVALID`, async () => {
          const attack = variant.attack();
          await usGateway(history ? prefixOf(attack, 8) : undefined);
          const refusal = await cosignRefusal(shown(attack), history ? 8 : 0);
          assert.match(refusal ?? 'cosigned', new RegExp(variant.code));
          const raised = alarm('ENTRY_TIME_INVALID');
          assert.match(raised.message, variant.message);
        });
      }
    }
    it('an entry dated a day ahead of the witness that is asked to cosign it: both gateways refuse, ENTRY_TIME_AFTER_WITNESSED', async () => {
      for (const history of [false, true]) {
        const attack = { entries: [...honest, filing('US-FUTURE', 'US', 'RU', T + DAY)] };
        await usGateway(history ? prefixOf(attack, 8) : undefined);
        assert.match((await cosignRefusal(shown(attack), history ? 8 : 0)) ?? 'cosigned', /ENTRY_TIME_AFTER_WITNESSED/);
        assert.ok(alarm('ENTRY_TIME_INVALID'));
      }
    });
  });

  describe('3. public views checked at the size they state', () => {
    const tampered: { name: string; view: string; tamper: (honestView: any, query: Record<string, string>) => unknown; verify: RegExp; gateway: RegExp }[] = [
      { name: 'statistics published for size + 1 with false figures', view: 'statistics', tamper: (view, query) => ({ ...view, size: Number(query.size) + 1, pairs: [] }), verify: /statistics: asked at size 8, the exchange answered for size 9/, gateway: /statistics was asked at size 8 and answered for size 9/ },
      { name: 'a request reported withdrawn', view: 'requests', tamper: (view) => ({ ...view, items: view.items.map((item: object, i: number) => (i === 0 ? { ...item, status: 'withdrawn' } : item)) }), verify: /requests from 0 at size 8 differs/, gateway: /requests at size 8 differs/ },
      { name: 'a deadline left out', view: 'deadlines', tamper: (view) => ({ ...view, items: view.items.slice(1) }), verify: /deadlines from 0 at size 8 differs/, gateway: /deadlines at size 8 differs/ },
      { name: 'a trade that never was', view: 'trades', tamper: (view) => ({ ...view, items: [{ id: 'T-GHOST', status: 'committed' }] }), verify: /trades from 0 at size 8 differs/, gateway: /trades at size 8 differs/ },
    ];
    const withViews = (log: HostileLog, view: string, tamper: (honestView: any, query: Record<string, string>) => unknown): HostileLog => ({
      ...log,
      views: (name, query) => (name === view ? tamper(log.views(name, query), query) : log.views(name, query)),
    });
    for (const variant of tampered) {
      it(`${variant.name}: verify from the URL, VIEW_MISMATCH (a directory serves no views)`, async () => {
        const verdict = await verify(withViews(forged({ entries: honest }), variant.view, variant.tamper), 'url');
        assert.equal(verdict.code, 'VIEW_MISMATCH', verdict.message);
        assert.match(verdict.message, variant.verify);
      });
      for (const history of [false, true]) {
        it(`${variant.name}: a gateway ${history ? 'that followed the log' : 'on an empty database'}, VIEW_MISMATCH with the view as evidence`, async () => {
          await usGateway(history ? shown({ entries: honest.slice(0, 4) }) : undefined);
          await cosignRefusal(withViews(shown({ entries: honest }), variant.view, variant.tamper), history ? 4 : 0);
          await world.gateway('US').gateway!.tick();
          const raised = alarm('VIEW_MISMATCH');
          assert.match(raised.message, variant.gateway);
          assert.ok(raised.evidence?.[variant.view], 'the view is kept');
        });
      }
    }
    it('the trades withheld (404) round after round: a gateway reports it on the third round, not before', async () => {
      await usGateway();
      await cosignRefusal(withViews(shown({ entries: honest }), 'trades', () => undefined));
      const gateway = world.gateway('US').gateway!;
      const raisedCodes = () => gateway.alarms.list().map((each) => each.code);
      for (let round = 1; round <= 2; round++) {
        await gateway.tick();
        assert.ok(!raisedCodes().includes('VIEW_UNSERVED'), `round ${round}: a view missing once or twice may be a restart`);
      }
      await gateway.tick();
      assert.match(alarm('VIEW_UNSERVED').message, /trades at size 8, 3 rounds in a row \(it answered 404\)/);
      assert.ok(!raisedCodes().includes('VIEW_MISMATCH'), 'withheld is not misreported');
    });
  });

  describe('4. a checkpoint that claims a size of 2^52', () => {
    for (const from of ['directory', 'url'] as const) {
      it(`verify from a ${from}: TILE_MISSING with the size, no crash`, async () => {
        const verdict = await verify(forged({ entries: honest, claimSize: 2 ** 52 }), from);
        assert.equal(verdict.code, 'TILE_MISSING', verdict.message);
        assert.match(verdict.message, /the log does not back a tree of size 4503599627370496/);
      });
    }
    for (const history of [false, true]) {
      it(`a gateway ${history ? 'that followed the log' : 'on an empty database'}: refuses to cosign, the tiles cannot back it`, async () => {
        await usGateway(history ? shown({ entries: honest }) : undefined);
        const refusal = await cosignRefusal(shown({ entries: honest, claimSize: 2 ** 52 }), history ? 8 : 0);
        assert.match(refusal ?? 'cosigned', /the exchange's tiles for size 4503599627370496 are unusable/);
      });
    }
  });

  describe('5. cosignature time', () => {
    for (const from of ['directory', 'url'] as const) {
      it(`a neutral cosignature dated 2100: verify from a ${from} does not count it, CHECKPOINT_COSIGNED_IN_FUTURE`, async () => {
        const verdict = await verify(forged({ entries: honest, cosignedAt: (witness) => (witness === 'CH' ? YEAR_2100 : T) }), from);
        assert.equal(verdict.code, 'CHECKPOINT_COSIGNED_IN_FUTURE', verdict.message);
        assert.match(verdict.message, /not counted, dated more than 300 s in the future: CH/);
      });
      it(`a checkpoint cosigned two days ago: a first verification from a ${from} refuses it, CHECKPOINT_STALE`, async () => {
        const verdict = await verify(forged({ entries: honest, cosignedAt: () => T - 2 * DAY }), from);
        assert.equal(verdict.code, 'CHECKPOINT_STALE', verdict.message);
      });
      it(`an older checkpoint after a newer one: verify from a ${from}, ROLLBACK`, async () => {
        const state = join(work, `rollback-${from}.json`);
        assert.equal((await verify(forged({ entries: honest }), from, [], state)).code, 'VERIFIED');
        const verdict = await verify(forged({ entries: honest.slice(0, 4) }), from, [], state);
        assert.equal(verdict.code, 'ROLLBACK', verdict.message);
      });
    }
    for (const history of [false, true]) {
      it(`a neutral cosignature dated 2100: a gateway ${history ? 'that followed the log' : 'on an empty database'} does not count it, COSIGNED_IN_FUTURE`, async () => {
        await usGateway(history ? shown({ entries: honest.slice(0, 4) }) : undefined);
        await world.open('RU', { emptyStore: true });
        const log = shown({ entries: honest, cosignedAt: () => YEAR_2100 });
        world.show('US', await world.cosignedBy('RU', await world.cosignedBy('US', log, history ? 4 : 0)));
        await world.gateway('US').gateway!.tick();
        assert.match(alarm('COSIGNED_IN_FUTURE').message, /not counted, dated more than 300 s in the future: CH/);
        assert.ok(alarm('COSIGNED_IN_FUTURE').evidence?.checkpoint, 'the checkpoint is kept');
        assert.equal(world.gateway('US').gateway!.mirror.verified, undefined, 'nothing verified');
      });
    }
    it('a checkpoint cosigned two days ago: a gateway on an empty database refuses it as a first checkpoint', async () => {
      const twoDaysAgo = () => T - 2 * DAY;
      for (const party of ['US', 'RU']) await world.open(party, { emptyStore: true, now: twoDaysAgo });
      const log = shown({ entries: honest, cosignedAt: twoDaysAgo });
      const old = await world.cosignedBy('RU', await world.cosignedBy('US', log));
      await usGateway();
      world.show('US', old);
      await world.gateway('US').gateway!.tick();
      assert.match(alarm('CHECKPOINT_STALE').message, /more than the 86400 s a first verification accepts/);
      assert.equal(world.gateway('US').gateway!.mirror.verified, undefined);
    });
    it('an older checkpoint after a newer one: a gateway that followed the log refuses to cosign it (tlog-witness 409)', async () => {
      await usGateway(shown({ entries: honest }));
      const refusal = await cosignRefusal(shown({ entries: honest.slice(0, 4) }));
      assert.match(refusal ?? 'cosigned', /refused to cosign: 409 8/);
    });
  });

  describe('6. censorship, shown with signed receipts', () => {
    // The exchange receipted US-CENSORED at index 8; the log holds another entry there.
    const censored = () => ({ entries: [...honest, filing('RU-INSTEAD', 'RU', 'US', T - 5 * DAY)] });
    const receiptFor = (index: number, includeBy: number): { receipt: string; hash: Uint8Array; bytes: Uint8Array } => {
      const ours = craftLog({ keys: world.keys, entries: [...honest, filing('US-CENSORED', 'US', 'RU', T - 5 * DAY)] });
      const bytes = ours.bytes[8]!;
      const signed = signReceipt({ origin: ORIGIN, index, leafHash: leafHash(bytes), includeBy }, world.keys.log);
      assert.ok(signed.ok);
      return { receipt: signed.value, hash: leafHash(bytes), bytes };
    };
    const receiptsDir = (receipt: string): string => {
      const dir = join(work, `receipts-${++cell}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'us-filing.receipt'), receipt);
      return dir;
    };
    for (const from of ['directory', 'url'] as const) {
      it(`another entry at the receipted index: verify --receipts from a ${from}, CENSORED`, async () => {
        const verdict = await verify(forged(censored()), from, ['--receipts', receiptsDir(receiptFor(8, T - 5 * DAY + 60).receipt)]);
        assert.equal(verdict.code, 'CENSORED', verdict.message);
        assert.match(verdict.message, /the log holds another entry at index 8, where the exchange's signed receipt put this one/);
      });
      it(`a receipted index the log never reaches by its include-by time: verify --receipts from a ${from}, CENSORED`, async () => {
        const verdict = await verify(forged({ entries: honest }), from, ['--receipts', receiptsDir(receiptFor(8, T - 3600).receipt)]);
        assert.equal(verdict.code, 'CENSORED', verdict.message);
        assert.match(verdict.message, /promised entry 8 by .* does not reach it/);
      });
    }
    it('another entry at the receipted index: a gateway holding the receipt refuses to cosign, CENSORED with the receipt (an empty gateway holds none)', async () => {
      await usGateway(shown({ entries: honest }));
      const { receipt, hash, bytes } = receiptFor(8, T + 60);
      await recordSubmission(world.store('US').db, { index: 8, author: 'US', authorSeq: 4, bytes, leafHash: hash, type: 'request.file', submittedAt: T, receipt });
      const refusal = await cosignRefusal(shown(censored()), 8);
      assert.match(refusal ?? 'cosigned', /holds another entry at index 8, where the exchange's signed receipt put this state's request\.file/);
      assert.equal(alarm('CENSORED').evidence?.receipt, receipt);
      assert.match(alarm('CENSORED').evidence?.['offered-checkpoint'] ?? '', /\n9\n/, 'the log-signed checkpoint that holds another entry there, beside the receipt');
    });
    it('a tree that stops short of the receipted index after its include-by time: a gateway holding the receipt refuses to cosign it, CENSORED with the receipt and the checkpoint', async () => {
      await usGateway(prefixOf({ entries: honest }, 4));
      const { receipt, hash, bytes } = receiptFor(8, T - 3600);
      await recordSubmission(world.store('US').db, { index: 8, author: 'US', authorSeq: 4, bytes, leafHash: hash, type: 'request.file', submittedAt: T - 3700, receipt });
      const refusal = await cosignRefusal(shown({ entries: honest }), 4);
      assert.match(refusal ?? 'cosigned', /leaves out this state's request\.file at index 8, which the exchange's signed receipt promised by/);
      assert.equal(alarm('CENSORED').evidence?.receipt, receipt);
      assert.match(alarm('CENSORED').evidence?.['offered-checkpoint'] ?? '', /\n8\n/, 'the checkpoint of size 8 that leaves it out');
      assert.match(alarm('CENSORED').evidence?.['cosigned-checkpoint'] ?? '', /\n4\n/, 'and the latest cosigned checkpoint, which lacks it too');
    });
  });

  describe('7. a split view: the exchange shows US one history and RU another', () => {
    const usView = () => ({ entries: [...honest, filing('US-SPLIT', 'US', 'RU', T - 5 * DAY)] });
    const ruView = () => ({ entries: [...honest, filing('RU-SPLIT', 'RU', 'US', T - 5 * DAY)] });
    for (const from of ['directory', 'url'] as const) {
      it(`verify as US from a ${from}, comparing RU's witness's latest: SPLIT_VIEW with both notes`, async () => {
        ruCosigned = forged(ruView()).note;
        const verdict = await verify(forged(usView()), from, ['--peers']);
        ruCosigned = undefined;
        assert.equal(verdict.code, 'SPLIT_VIEW', verdict.message);
        assert.match(verdict.message, /RU's witness cosigned a tree of size 9 other than the one this log shows at that size/);
      });
    }
    for (const history of [false, true]) {
      it(`a gateway ${history ? 'that followed the common history' : 'on an empty database'}: SPLIT_VIEW against RU's witness`, async () => {
        await usGateway(history ? shown({ entries: honest }) : undefined);
        await world.open('RU', { emptyStore: true });
        if (history) world.show('RU', await world.cosignedBy('RU', shown({ entries: honest })));
        world.show('RU', await world.cosignedBy('RU', shown(ruView()), history ? 8 : 0));
        world.show('US', await world.cosignedBy('US', shown(usView()), history ? 8 : 0));
        await world.gateway('US').gateway!.tick();
        assert.match(alarm('SPLIT_VIEW').message, /RU's witness cosigned a tree of size 9 that the exchange does not show this state/);
      });
    }
  });

  it('the honest log passes every check the attacks fail: verify from a directory and a URL, and a gateway cosigns it', async () => {
    for (const from of ['directory', 'url'] as const) {
      const verdict = await verify(forged({ entries: honest }), from);
      assert.equal(verdict.code, 'VERIFIED', verdict.message);
    }
    await usGateway();
    assert.equal(await cosignRefusal(shown({ entries: honest })), undefined);
    assert.deepEqual(world.gateway('US').gateway!.alarms.list().map((each) => each.code), []);
  });
});
