import type { AnyDomainEntry } from '@evenhand/core';
import { GatewayClient } from './gateway-client.ts';

/** Who acts for a state in the scenario: one official per role, two approvers for decisions. */
export interface StateOfficials {
  readonly url: string;
  readonly logins: ReadonlyMap<string, string>;
  readonly party: string;
}

/** The role inside a state that takes each action (the gateway's own table decides; this picks a permitted one). */
const ACTION_ROLE: Readonly<Record<string, string>> = {
  acknowledge: 'reviewer',
  arrest: 'reviewer',
  'ask-info': 'reviewer',
  'supply-info': 'clerk',
  consent: 'reviewer',
  extend: 'approver-1',
  consult: 'reviewer',
  'consult-reply': 'clerk',
  assure: 'approver-1',
  'schedule-surrender': 'reviewer',
  surrender: 'reviewer',
  'confirm-receipt': 'clerk',
  withdraw: 'approver-1',
  'prosecution-milestone': 'reviewer',
  'prosecution-outcome': 'reviewer',
};

/** The account name of a role in a state, as the demo creates them (e.g. "ru-approver-2"). */
export function username(party: string, role: string): string {
  return `${party.toLowerCase()}-${role}`;
}

/**
 * Replays the 2021 scenario through the real path: each entry becomes the action of the
 * official whose role takes it, over the gateway's HTTP API, and the gateway signs and
 * submits it. Decisions go through the two-person rule. Entry times come along as `at`
 * (the gateways run with backdating allowed for the demo only).
 */
export async function seedScenario(entries: readonly AnyDomainEntry[], states: ReadonlyMap<string, StateOfficials>, onProgress: (done: number, total: number) => void): Promise<void> {
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

  for (const [position, entry] of entries.entries()) {
    const body = entry.body as Record<string, unknown>;
    const at = entry.time;
    const id = encodeURIComponent(String(body.request ?? ''));
    if (entry.type === 'treaty.propose') await (await as(entry.author, 'approver-1')).post('/api/treaty/propose', { ...body, at });
    else if (entry.type === 'treaty.ratify') await (await as(entry.author, 'approver-1')).post('/api/treaty/ratify', { ...body, at });
    else if (entry.type === 'request.file') await (await as(entry.author, 'clerk')).post('/api/requests', { ...body, at });
    else if (entry.type === 'trade.propose') await (await as(entry.author, 'approver-1')).post('/api/trades', { ...body, at });
    else if (entry.type === 'trade.sign') await (await as(entry.author, 'approver-1')).post(`/api/trades/${encodeURIComponent(String(body.trade))}/sign`, { at });
    else if (entry.type === 'request.decide') {
      const { request: _request, approvers: _approvers, sealed, ...decision } = body;
      const reasons = (sealed as { reasons?: string } | undefined)?.reasons;
      const proposed = await (await as(entry.author, 'approver-1')).post<{ proposal: { id: string } }>(`/api/requests/${id}/decision-proposals`, { ...decision, ...(reasons ? { reasons } : {}), at });
      await (await as(entry.author, 'approver-2')).post(`/api/decision-proposals/${encodeURIComponent(proposed.proposal.id)}/confirm`, {});
    } else {
      const action = entry.type.startsWith('prosecution.') ? entry.type.replace('.', '-') : entry.type.slice('request.'.length);
      const role = ACTION_ROLE[action];
      if (!role) throw new Error(`entry ${position}: no official takes ${entry.type}`);
      const { request: _request, ...rest } = body;
      await (await as(entry.author, role)).post(`/api/requests/${id}/actions/${action}`, { ...rest, at });
    }
    await waitForMirrors(states, as, position + 1);
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
