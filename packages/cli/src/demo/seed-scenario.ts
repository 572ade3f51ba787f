import { ACT_ROLES, TWO_PERSON_ACTS, type AnyDomainEntry, type PartyEntryType } from '@evenhand/core';
import { ACTION_OF, type SimulatedClock } from '@evenhand/server';
import { GatewayClient } from './gateway-client.ts';

/** Who acts for a state in the scenario: one official per role, two approvers for decisions. */
export interface StateOfficials {
  readonly url: string;
  readonly logins: ReadonlyMap<string, string>;
  readonly party: string;
}

/** The demo account that takes an entry type: the first role the core gives it (approvers are "approver-1"). */
function accountRole(type: PartyEntryType): string {
  const role = ACT_ROLES[type][0];
  if (!role) throw new Error(`no official takes ${type}`);
  return role === 'approver' ? 'approver-1' : role;
}

/** The account name of a role in a state, as the demo creates them (e.g. "ru-approver-2"). */
export function username(party: string, role: string): string {
  return `${party.toLowerCase()}-${role}`;
}

/**
 * Replays the 2021 scenario through the real path: each entry becomes the action of the
 * official whose role takes it, over the gateway's HTTP API, and the gateway signs and
 * submits it. Decisions go through the two-person rule. Before each act the services' shared
 * clock, if any, moves to its date, so the gateway dates the entry by its own clock, as always.
 * The gateways also write entries of their own (their transport keys, issue 17), so with
 * `logSize` (the exchange's) each act waits for the log as it is, not only for the scenario's
 * count.
 */
export async function seedScenario(entries: readonly AnyDomainEntry[], states: ReadonlyMap<string, StateOfficials>, clock: SimulatedClock | undefined, onProgress: (done: number, total: number) => void, logSize?: () => number | Promise<number>): Promise<void> {
  const atLeast = async (size: number) => Math.max(size, (await logSize?.()) ?? 0);
  const sessions = new Map<string, GatewayClient>();
  const as = async (party: string, role: string): Promise<GatewayClient> => {
    const name = username(party, role);
    const open = sessions.get(name);
    if (open) return open;
    const state = states.get(party);
    const password = state?.logins.get(name);
    if (!state || !password) throw new Error(`the demo has no account ${name}`);
    const client = await GatewayClient.login(state.url, name, password);
    sessions.set(name, client);
    return client;
  };

  // Entries the seeding adds beside the scenario's own: each state's founding registration.
  const registered = new Set<string>();
  for (const [position, entry] of entries.entries()) {
    const body = entry.body as Record<string, unknown>;
    clock?.advanceTo(entry.time);
    const id = encodeURIComponent(String(body.request ?? ''));
    const trade = encodeURIComponent(String(body.trade ?? ''));
    const type = entry.type as PartyEntryType;
    const actor = () => as(entry.author, accountRole(type));
    const confirm = async (proposal: { id: string }) => (await as(entry.author, 'approver-2')).post(`/api/proposals/${encodeURIComponent(proposal.id)}/confirm`, {});
    // Before a state's first two-person act, it registers its approvers' keys (issue 13), so
    // that every act binding it from then on carries two signatures anyone can check.
    if (TWO_PERSON_ACTS.has(entry.type) && !registered.has(entry.author)) {
      await (await as(entry.author, 'approver-1')).post('/api/officials/founding', {});
      registered.add(entry.author);
      await waitForMirrors(states, as, await atLeast(position + registered.size));
    }
    // Two-person acts: the first approver proposes, the second confirms (the gateway signs both names).
    const twoPerson = async (path: string, proposal: Record<string, unknown>) => {
      const proposed = await (await as(entry.author, 'approver-1')).post<{ proposal: { id: string } }>(path, proposal);
      await confirm(proposed.proposal);
    };
    // A treaty act is a proposal for a second approver once its state has registered officials.
    const treatyAct = async (path: string) => {
      const answer = await (await actor()).post<{ proposal?: { id: string } }>(path, body);
      if (answer.proposal) await confirm(answer.proposal);
    };
    if (entry.type === 'treaty.propose') await treatyAct('/api/treaty/propose');
    else if (entry.type === 'treaty.ratify') await treatyAct('/api/treaty/ratify');
    else if (entry.type === 'request.file') await (await actor()).post('/api/requests', body);
    else if (entry.type === 'incident.register') await (await actor()).post('/api/incidents', body);
    else if (entry.type === 'trade.propose') await (await actor()).post('/api/trades', body);
    else if (entry.type === 'trade.sign' || entry.type === 'trade.commit') {
      const { trade: _trade, approvers: _approvers, ...rest } = body;
      await twoPerson(`/api/trades/${trade}/${entry.type.slice('trade.'.length)}`, rest);
    } else if (entry.type === 'request.decide') {
      const { request: _request, approvers: _approvers, sealed, ...decision } = body;
      const reasons = (sealed as { reasons?: string } | undefined)?.reasons;
      await twoPerson(`/api/requests/${id}/decision-proposals`, { ...decision, ...(reasons ? { reasons } : {}) });
    } else {
      const action = ACTION_OF.get(entry.type);
      if (!action) throw new Error(`entry ${position}: the demo cannot take ${entry.type} through a gateway`);
      const { request: _request, ...rest } = body;
      await (await actor()).post(`/api/requests/${id}/actions/${action}`, rest);
    }
    await waitForMirrors(states, as, await atLeast(position + registered.size + 1));
    onProgress(position + 1, entries.length);
  }
}

/**
 * A gateway acts only on what it has verified in a witnessed checkpoint, so each entry must
 * reach every state's mirror before the next official acts on it.
 */
async function waitForMirrors(states: ReadonlyMap<string, StateOfficials>, as: (party: string, role: string) => Promise<GatewayClient>, size: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const party of states.keys()) {
    const observer = await as(party, 'observer');
    for (;;) {
      const health = await observer.get<{ checkpoint: { size: number } | null; mirrorSize: number; alarms: { code: string; message: string }[] }>('/api/log-health');
      if ((health.checkpoint?.size ?? 0) >= size && health.mirrorSize >= size) break;
      if (Date.now() > deadline) {
        const alarms = health.alarms.map((alarm) => `${alarm.code}: ${alarm.message}`).join('; ');
        throw new Error(`the ${party} gateway has not verified entry ${size - 1} after 30 s (its checkpoint is at ${health.checkpoint?.size ?? 0})${alarms ? `; alarms: ${alarms}` : ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
