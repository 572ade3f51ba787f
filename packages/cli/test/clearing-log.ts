/**
 * A log with clearing rounds written by a real exchange (issue 13, `evenhand clear --audit`):
 * the 2021 treaty, conditional grants on reciprocity, and rounds run through the operator's
 * POST /v1/clearing/run, as in packages/server/test/exchange-clearing.test.ts. The log is then
 * read back over HTTP so that tests can alter entries, re-sign them as their authors (the
 * exchange with the log key) and write the result as a directory of tiles.
 */
import type { AnyDomainEntry } from '@evenhand/core';
import { domainPart, parseEntry, TILE_WIDTH, TileWindow } from '@evenhand/log';
import { scenarioKeys, treatyWithKeys, waitFor } from '@evenhand/testing';
import { conditionalGrant, startStack, submitEntries, type Stack } from '../../server/test/exchange-stack.ts';
import { signEntries, writeLog, type WrittenLog } from './verify-fixture.ts';

export const OPERATOR_TOKEN = 'operator-token-for-the-clearing-audit-tests';

export type DomainEntry = ReturnType<typeof domainPart>;

/** Starts an exchange with author "exchange" (signing with the log key) and an operator token. */
export async function startClearingStack(): Promise<Stack> {
  return startStack({ extraAuthors: new Map([['exchange', scenarioKeys().log]]), operatorToken: OPERATOR_TOKEN });
}

/** The treaty, then grants US-1 (RU holds, US wants), RU-1 and RU-2 (US holds, RU wants). */
export async function fileGrants(stack: Stack, now: number): Promise<void> {
  const treaty = treatyWithKeys(stack.keys);
  await submitEntries(stack, [
    { author: 'US', time: now - 3600, type: 'treaty.propose', body: { treaty } },
    { author: 'US', time: now - 3600, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
    { author: 'RU', time: now - 3600, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } },
    ...conditionalGrant('US-1', 'US', 'RU', now - 3000),
    ...conditionalGrant('RU-1', 'RU', 'US', now - 3000),
    ...conditionalGrant('RU-2', 'RU', 'US', now - 3000),
  ] as unknown as AnyDomainEntry[]);
}

/** One round by the operator; resolves once a checkpoint covers its entries. */
export async function runRound(stack: Stack): Promise<{ round: string; pool: number; objective: number; trades: { trade: string }[] }> {
  const response = await stack.exchange.app.inject({ method: 'POST', url: '/v1/clearing/run', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
  if (response.statusCode !== 200) throw new Error(`the clearing round failed: ${response.statusCode} ${response.body}`);
  const size = stack.exchange.sequencer.size;
  await waitFor(`a checkpoint of size ${size}`, async () => (stack.exchange.publisher.latest?.size ?? 0) >= size || undefined, 20_000);
  return response.json();
}

/** Every entry of the exchange's log, read from its tiles as any client reads them. */
export async function logEntries(url: string): Promise<Uint8Array[]> {
  const note = await (await fetch(`${url}/checkpoint`)).text();
  const size = Number(note.split('\n')[1]);
  const window = new TileWindow(async (path) => {
    const response = await fetch(`${url}/${path}`);
    return response.status === 200 ? new Uint8Array(await response.arrayBuffer()) : undefined;
  }, size);
  const out: Uint8Array[] = [];
  for (let n = 0; n * TILE_WIDTH < size; n++) {
    const bundle = await window.run((reader) => reader.entries(n));
    if (!bundle.ok) throw new Error(bundle.error.message);
    out.push(...bundle.value);
  }
  return out;
}

/** The domain part of each entry (author, time, type, body), to alter and sign again. */
export function domainEntries(bytes: readonly Uint8Array[]): DomainEntry[] {
  return bytes.map((item, index) => {
    const entry = parseEntry(item);
    if (!entry.ok) throw new Error(`entry ${index}: ${entry.error.message}`);
    return structuredClone(domainPart(entry.value));
  });
}

/** Signs the entries as their authors, the exchange with the log key, and writes tiles and a cosigned checkpoint to `dir`. */
export function writeSignedLog(dir: string, entries: readonly DomainEntry[], stack: Stack): WrittenLog {
  const signed = signEntries(entries, stack.keys, (_index, author) => (author === 'exchange' ? stack.keys.log : undefined));
  return writeLog(dir, signed, stack.keys);
}
