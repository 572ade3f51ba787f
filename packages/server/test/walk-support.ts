import assert from 'node:assert/strict';
import type { LegalAct } from '@evenhand/core';
import { REQUEST_ENDINGS, TRADE_ENDINGS_TESTED, towardEnding, waitFor } from '@evenhand/testing';
import { login, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * The walk over real HTTP (issue 11): officials of several states take the acts their
 * gateway lists, and nothing else. Each act is the gateway's own route, as the console posts
 * it; two-person acts are proposed by one approver and confirmed by the other.
 */
export type Act = LegalAct & { readonly path: string };
export type Case = { readonly kind: 'request' | 'trade'; readonly id: string };

/** A small seeded generator (mulberry32), so a walk is replayed from its printed seed. */
export function random(seed: number): { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (items) => items[Math.floor(next() * items.length)]! };
}

export class Walk {
  /** Acts taken, by entry type, for the report. */
  readonly taken = new Map<string, number>();

  constructor(
    readonly stack: GatewayStack,
    readonly officials: Record<string, Record<string, Official>>,
    readonly clock: { now(): number; advance(seconds: number): void },
  ) {}

  /** A call as an official, who logs in again when the session has expired (time moves fast in a walk). */
  async call(party: string, role: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    let answer = await this.officials[party]![role]!.call(method, path, body);
    if (answer.status === 401) {
      this.officials[party]![role] = await login(this.stack.gateways.get(party)!.url, `${party.toLowerCase()}-${role}`);
      answer = await this.officials[party]![role]!.call(method, path, body);
    }
    return answer;
  }

  /** The acts `role` of `party` is offered on a case (none when the case is not its state's). */
  async acts(party: string, role: string, target: Case): Promise<Act[]> {
    const answer = await this.call(party, role, 'GET', `/api/${target.kind}s/${encodeURIComponent(target.id)}`);
    if (answer.status === 404) return [];
    assert.equal(answer.status, 200, `GET ${target.kind} ${target.id} as ${party} ${role}: ${JSON.stringify(answer.body)}`);
    return answer.body.acts.available as Act[];
  }

  /**
   * Takes one listed act, which must succeed (issue 11: "every listed act must succeed"); a
   * two-person act is then confirmed by the other approver, waiting (as an official would)
   * for the instant it becomes possible. Returns the entry index.
   */
  async take(party: string, role: string, act: Act, variant: Act['variants'][number]): Promise<void> {
    const body: Record<string, unknown> = { ...variant.params };
    // Data is delivered as files of the sealed evidence store, uploaded first as an official would.
    if (act.type === 'request.provide') body.evidence = [await this.uploadEvidence(party, role, act)];
    if (act.sealed && (act.sealed.required || variant.sealedRequired)) body[act.sealed.name] = `written in the walk for ${act.type}`;
    const what = `${act.type} (${variant.label}) as ${party} ${role}`;
    const answer = await this.call(party, role, 'POST', act.path, body);
    assert.equal(answer.status, 201, `${what}: a listed act was refused: ${JSON.stringify(answer.body)}`);
    if (answer.body.proposal) {
      const proposal = answer.body.proposal as { id: string; confirmableFrom: number | null };
      if (proposal.confirmableFrom !== null && proposal.confirmableFrom > this.clock.now()) await this.advance(proposal.confirmableFrom - this.clock.now());
      const second = role === 'approver-1' ? 'approver-2' : 'approver-1';
      const confirmed = await this.call(party, second, 'POST', `/api/proposals/${encodeURIComponent(proposal.id)}/confirm`);
      assert.equal(confirmed.status, 201, `${what}: the second approver's confirmation was refused: ${JSON.stringify(confirmed.body)}`);
    }
    this.taken.set(act.type, (this.taken.get(act.type) ?? 0) + 1);
    await this.stack.syncAll();
  }

  /** Uploads a small evidence file under the case key of the request an act is on; answers its reference. */
  private async uploadEvidence(party: string, role: string, act: Act): Promise<string> {
    const id = decodeURIComponent(/\/api\/requests\/([^/]+)\//.exec(act.path)?.[1] ?? '');
    const answer = await this.officials[party]![role]!.upload(`/api/evidence?request=${encodeURIComponent(id)}`, Buffer.from(`data delivered in the walk for ${id}`), `${id}.txt`);
    assert.equal(answer.status, 201, `evidence upload for ${id} as ${party} ${role}: ${JSON.stringify(answer.body)}`);
    return answer.body.ref as string;
  }

  /**
   * Lets time pass, then waits until the exchange has called off every trade whose deadline
   * passed (its own schedule), so no official is offered a call-off the exchange is making.
   */
  async advance(seconds: number): Promise<void> {
    this.clock.advance(seconds);
    await waitFor('the exchange to call off the expired trades', async () => (await this.publicTrades()).every((trade) => TRADE_ENDINGS_TESTED.has(trade.status as never) || trade.deadline >= this.clock.now()));
    await this.stack.syncAll();
  }

  async publicRequests(): Promise<{ id: string; requesting: string; requested: string; status: string }[]> {
    return this.allPages('/v1/requests');
  }

  async publicTrades(): Promise<{ id: string; status: string; parties: string[]; coordinator: string; deadline: number; legs: { from: string; to: string; request?: string }[] }[]> {
    return this.allPages('/v1/trades');
  }

  /** Every item of a paged public view, page after page (bounded by the log's size). */
  private async allPages<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    for (let after = '', pages = 0; pages < 1000; pages++) {
      const page = (await (await fetch(`${this.stack.exchange.url}${path}?after=${after}`)).json()) as { items: T[]; next: string | null };
      out.push(...page.items);
      if (page.next === null) return out;
      after = page.next;
    }
    throw new Error(`${path}: more than 1000 pages`);
  }

  /** The open cases, with the states that can act on each. */
  async openCases(): Promise<{ target: Case; parties: string[] }[]> {
    const trades = (await this.publicTrades()).filter((trade) => !TRADE_ENDINGS_TESTED.has(trade.status as never));
    const requests = (await this.publicRequests()).filter((request) => !REQUEST_ENDINGS.has(request.status as never));
    return [
      ...trades.map((trade) => ({ target: { kind: 'trade' as const, id: trade.id }, parties: [...new Set([...trade.parties, ...(this.stack.parties.includes(trade.coordinator) ? [trade.coordinator] : [])])] })),
      ...requests.map((request) => ({ target: { kind: 'request' as const, id: request.id }, parties: [request.requesting, request.requested] })),
    ];
  }

  /**
   * Drives one case to an ending with listed acts only (testing/case-driver.ts), letting time
   * pass when nothing helps yet. Fails, naming the case, when it is stuck.
   */
  async driveToEnding(target: Case, parties: readonly string[], roles: readonly string[]): Promise<void> {
    for (let step = 0; step < 40; step++) {
      const status = await this.status(target);
      if (status === undefined || (target.kind === 'trade' ? TRADE_ENDINGS_TESTED : REQUEST_ENDINGS).has(status as never)) return;
      const offers: { party: { state: string; role: string }; acts: Act[] }[] = [];
      for (const state of parties) for (const role of roles) offers.push({ party: { state, role }, acts: await this.acts(state, role, target) });
      const choice = towardEnding(offers);
      if (choice) {
        await this.take(choice.party.state, choice.party.role, choice.act as Act, choice.variant);
        continue;
      }
      const trade = target.kind === 'trade' ? (await this.publicTrades()).find((candidate) => candidate.id === target.id) : undefined;
      await this.advance(trade ? Math.max(86_400, trade.deadline + 1 - this.clock.now()) : 16 * 86_400);
    }
    assert.fail(`${target.kind} ${target.id} is stuck in status ${await this.status(target)}: no listed act brings it to an ending`);
  }

  async status(target: Case): Promise<string | undefined> {
    if (target.kind === 'trade') return (await this.publicTrades()).find((trade) => trade.id === target.id)?.status;
    return (await this.publicRequests()).find((request) => request.id === target.id)?.status;
  }
}
