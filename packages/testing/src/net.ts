import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer } from 'node:net';

/**
 * Where freePort looks: below the kernel's ephemeral range. A port taken from that range (by
 * listening on 0) could be handed by the kernel, between our probe closing it and the server
 * binding it, to any outgoing connection of the tests running beside us: a CI run once failed
 * on `EADDRINUSE` that way. Ports below the range are given out only on request, so only
 * another freePort picking the same one at random could take it.
 */
function unassignedRange(): { readonly from: number; readonly to: number } | undefined {
  let low = 32_768;
  try {
    const [first] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (first !== undefined && Number.isInteger(first)) low = first;
  } catch {
    // Not Linux: the usual default range starts at 32768 (49152 on some systems, higher still).
  }
  return low - 1 > 20_000 ? { from: 20_000, to: low - 1 } : undefined;
}

const RANGE = unassignedRange();
/** Ports this process has handed out: never handed out twice. */
const handedOut = new Set<number>();
const PROBES = 50;

function probe(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(undefined) : reject(error)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/**
 * A free loopback port for a server a test or bench starts next: a random one below the
 * ephemeral range that a probe could listen on (see `unassignedRange`); the kernel's choice
 * where there is no such range.
 */
export function freePort(): Promise<number> {
  return freePortIn(RANGE);
}

/** `freePort` drawing from `range` (inclusive) with `random`; the kernel's choice once `PROBES` draws found none. */
export async function freePortIn(range: { readonly from: number; readonly to: number } | undefined, random: () => number = Math.random): Promise<number> {
  for (let attempt = 0; range && attempt < PROBES; attempt++) {
    const port = range.from + Math.floor(random() * (range.to - range.from + 1));
    if (handedOut.has(port)) continue;
    if ((await probe(port)) === port) {
      handedOut.add(port);
      return port;
    }
  }
  const port = await probe(0);
  if (port === undefined) throw new Error('no free loopback port was assigned');
  handedOut.add(port);
  return port;
}

/** Polls until `check` returns a value, for at most `ms` (every wait in a test is bounded). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A plain HTTP server on a loopback port the kernel picks, for a test that plays a peer by
 * hand (a witness or an exchange that stalls, refuses or lies): its URL, and a `close` that
 * drops the connections it still holds open (a stalled answer) before it stops.
 */
export async function startLocalServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
