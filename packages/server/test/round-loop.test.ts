import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { startLocalServer, treatyWithKeys, waitFor } from '@evenhand/testing';
import { startRoundLoop } from '../src/gateway/round-loop.ts';
import { login, startGatewayStack } from './gateway-stack.ts';

/**
 * A running gateway's rounds (gateway/round-loop.ts): one per long poll while the log is idle,
 * one as soon as the exchange publishes past an idle mirror, one per interval while the log
 * moves, never two closer than the interval (issue 14: an idle gateway's rounds were its idle
 * CPU).
 */

/** A loop on a simulated clock: `sleep` moves it, and the exchange's long poll is played by `waitForGrowth`. */
function simulated(waitForGrowth: (size: number, signal: AbortSignal, clock: { now: number }) => Promise<void>, rounds: number, options: { failRound?: number; sizes?: number[] } = {}) {
  const clock = { now: 0 };
  const starts: number[] = [];
  const asked: number[] = [];
  const slept: number[] = [];
  const errors: unknown[] = [];
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const loop = startRoundLoop({
    clock: () => clock.now,
    sleep: async (ms) => {
      slept.push(ms);
      clock.now += ms;
    },
    intervalMs: 1000,
    size: () => options.sizes?.[starts.length - 1] ?? 7,
    round: async () => {
      starts.push(clock.now);
      clock.now += 10;
      if (starts.length === rounds) finished();
      if (starts.length === options.failRound) throw new Error('the exchange is down');
      // Past the rounds wanted, the loop is held here until the test stops it.
      if (starts.length >= rounds) await delay(1);
    },
    waitForGrowth: (size, signal) => {
      asked.push(size);
      return waitForGrowth(size, signal, clock);
    },
    onError: (error) => errors.push(error),
  });
  return { loop, done, starts, asked, slept, errors };
}

describe('round loop: an idle log is followed by long poll, a moving one by the timer', () => {
  it('an idle log gets a round per long poll, and no pause between them', async () => {
    const run = simulated(async (_size, _signal, clock) => {
      clock.now += 5000;
    }, 4);
    await run.done;
    await run.loop.stop();
    assert.deepEqual(run.starts.slice(0, 4), [0, 5010, 10_020, 15_030]);
    assert.deepEqual(run.slept, []);
  });

  it('an exchange that answers the long poll at once gets the timer it replaces: a round per interval', async () => {
    const run = simulated(async () => undefined, 4);
    await run.done;
    await run.loop.stop();
    assert.deepEqual(run.starts.slice(0, 4), [0, 1000, 2000, 3000]);
    assert.deepEqual(run.slept.slice(0, 3), [990, 990, 990]);
  });

  it('a moving log keeps the timer\'s pace without a long poll; the first entry after a quiet round wakes the loop', async () => {
    // Round 1 leaves the mirror as it was (idle): a long poll, answered by growth 300 ms on, and
    // the round waits out the interval. Round 2 finds the log moved: no long poll, the interval.
    // Round 3 finds it still: a long poll again, answered after its whole wait.
    const growthAfter = [300, 5000];
    const run = simulated(async (_size, _signal, clock) => {
      clock.now += growthAfter.shift() ?? 5000;
    }, 4, { sizes: [7, 9, 9, 9] });
    await run.done;
    await run.loop.stop();
    assert.deepEqual(run.starts.slice(0, 4), [0, 1000, 2000, 7010]);
    // Each long poll asks past the size the mirror had after the round before it.
    assert.deepEqual(run.asked.slice(0, 2), [7, 9]);
    assert.deepEqual(run.slept.slice(0, 2), [690, 990]);
  });

  it('a failed round is reported and the loop goes on; an unreachable exchange is paced by the interval', async () => {
    const run = simulated(async () => {
      throw new Error('connection refused');
    }, 3, { failRound: 1 });
    await run.done;
    await run.loop.stop();
    assert.equal(run.errors.length, 1);
    assert.match(String(run.errors[0]), /the exchange is down/);
    assert.deepEqual(run.starts.slice(0, 3), [0, 1000, 2000]);
  });

  it('paces on a monotonic clock: the wall clock stepped back an hour does not stall the rounds', async () => {
    const wallClock = Date.now;
    let stepBack = 0;
    // The wall clock, as the loop would read it: set before the loop starts, so that a loop that takes it as its clock reads the step.
    Date.now = () => wallClock() - stepBack;
    let rounds = 0;
    let loop: ReturnType<typeof startRoundLoop> | undefined;
    try {
      loop = startRoundLoop({
        intervalMs: 50,
        // The log moves every round: the interval paces them, no long poll.
        size: () => rounds,
        round: async () => {
          rounds += 1;
          // An NTP correction during the first round.
          if (rounds === 1) stepBack = 3_600_000;
        },
        waitForGrowth: async () => undefined,
        onError: (error) => assert.fail(String(error)),
      });
      await waitFor('four rounds after the wall clock went back an hour', async () => rounds >= 5, 10_000);
    } finally {
      Date.now = wallClock;
      await loop?.stop();
    }
  });

  it('stopping abandons a long poll in progress, and no round starts after it', async () => {
    let polling!: () => void;
    const polled = new Promise<void>((resolve) => (polling = resolve));
    const run = simulated(
      (_size, signal) =>
        new Promise<void>((_resolve, reject) => {
          polling();
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        }),
      1,
    );
    await polled;
    await run.loop.stop();
    assert.equal(run.starts.length, 1);
    await delay(20);
    assert.equal(run.starts.length, 1);
  });
});

/** GET requests the exchange answered on `route`, from its /metrics. */
async function answered(exchangeUrl: string, route: string): Promise<number> {
  const text = await (await fetch(`${exchangeUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('evenhand_http_requests_total{') && line.includes('method="GET"') && line.includes(`route="${route}"`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('round loop: idle gateways do not poll the exchange every interval', () => {
  it('with a 200 ms interval, two idle gateways read /checkpoint a few times in 3 s, not 30', async () => {
    const stack = await startGatewayStack({ mirrorIntervalMs: 200 });
    try {
      await stack.syncAll();
      // Settled: the transport keys each gateway files at its start are in every mirror.
      let lastSize = -1;
      await waitFor('the log to stop growing', async () => {
        const size = stack.exchange.sequencer.size;
        const settled = size === lastSize && [...stack.gateways.values()].every((gateway) => gateway.gateway.mirror.size === size);
        lastSize = size;
        if (!settled) await delay(300);
        return settled;
      }, 20_000);
      const before = await answered(stack.exchange.url, '/checkpoint');
      await delay(3000);
      const reads = (await answered(stack.exchange.url, '/checkpoint')) - before;
      // A round per 200 ms would be 15 reads per gateway; a round per long poll (5 s) at most one each, and a slack of one.
      assert.ok(reads <= 3, `the gateways read /checkpoint ${reads} times in 3 s of an idle log`);
      assert.equal(stack.exchange.sequencer.size, lastSize, 'the log stayed idle');
    } finally {
      await stack.close();
    }
  });
});

describe('round loop: the long poll waits past what the gateway verified', () => {
  it('asks past its verified checkpoint, not past the tree its own witness grew before the exchange published it', async () => {
    // Every long poll of the US gateway, with what that gateway had verified when it was asked.
    const polls: { covering: number; verified: number }[] = [];
    let exchangeUrl = '';
    let verifiedByUs = () => 0;
    const proxy = await startLocalServer((request, response) => {
      const covering = new URL(request.url ?? '/', 'http://proxy').searchParams.get('covering');
      if (covering !== null) polls.push({ covering: Number(covering), verified: verifiedByUs() });
      const upstream = new URL(exchangeUrl);
      const forwarded = httpRequest({ host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      forwarded.on('error', () => response.destroy());
      response.on('close', () => forwarded.destroy());
      request.pipe(forwarded);
    });
    const stack = await startGatewayStack({
      mirrorIntervalMs: 200,
      exchangeUrlFor: (party, url) => {
        if (party !== 'US') return url;
        exchangeUrl = url;
        return proxy.url;
      },
    });
    let bringRuBack!: () => void;
    const ruBack = new Promise<void>((resolve) => (bringRuBack = resolve));
    let ruRestarted: Promise<void> | undefined;
    try {
      await stack.syncAll();
      const us = stack.gateways.get('US')!.gateway;
      verifiedByUs = () => us.mirror.verified?.checkpoint.size ?? 0;
      // RU's witness is in the quorum: while its gateway is down, nothing new is published.
      let ruDown = false;
      ruRestarted = stack.restart('RU', async () => {
        ruDown = true;
        await ruBack;
      });
      await waitFor('the RU gateway to be down', async () => ruDown, 10_000);
      const official = await login(stack.gateways.get('US')!.url, 'us-approver-1');
      const filed = await official.call('POST', '/api/treaty/propose', { treaty: treatyWithKeys(stack.keys) });
      assert.ok(filed.status === 201 || filed.status === 202, JSON.stringify(filed));
      const size = stack.exchange.sequencer.size;
      // US's witness cosigned the new tree, so US's mirror holds it before it is published.
      await waitFor('the US mirror to hold the filing, unpublished', async () => us.mirror.size === size, 15_000);
      const pollsBefore = polls.length;
      await waitFor('two long polls of the US gateway since', async () => polls.length >= pollsBefore + 2, 15_000);
      assert.ok(verifiedByUs() < size && (stack.exchange.publisher.latest?.size ?? 0) < size, 'the filing is not published while RU is down');
      bringRuBack();
      await ruRestarted;
      await stack.syncAll();
      // A poll past the tree's size would not have been answered by this publication.
      const past = polls.filter((poll) => poll.covering > poll.verified);
      assert.deepEqual(past, [], `the US gateway long-polled past what it had verified: ${JSON.stringify(past)}`);
      assert.ok(polls.some((poll) => poll.covering < size), 'it long-polled while the filing waited');
    } finally {
      bringRuBack();
      await ruRestarted?.catch(() => undefined);
      await stack.close();
      await proxy.close();
    }
  });
});
