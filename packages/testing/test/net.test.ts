import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { test } from 'node:test';
import { freePort, freePortIn } from '../src/net.ts';

const ephemeralStart = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return undefined;
  }
})();

test('freePort hands out distinct ports, each one a server can listen on, below the ephemeral range', async () => {
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
  assert.equal(new Set(ports).size, ports.length);
  for (const port of ports) {
    if (ephemeralStart !== undefined && ephemeralStart > 20_001) assert.ok(port >= 20_000 && port < ephemeralStart, `${port} is not below ${ephemeralStart}`);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => server.close(resolve));
  }
});

test('freePortIn passes over a port someone holds, and takes the kernel\'s choice when the whole range is held', async () => {
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  const portOf = (server: Server) => (server.address() as AddressInfo).port;
  // Two neighbouring ports, the first held by a server freePort knows nothing of.
  const held = await listen(0);
  const from = portOf(held);
  const free = await listen(from + 1).then(
    async (server) => {
      await new Promise((resolve) => server.close(resolve));
      return true;
    },
    () => false,
  );
  try {
    if (free) {
      // The draws alternate between the two: the held one must be passed over.
      let draw = 0;
      assert.equal(await freePortIn({ from, to: from + 1 }, () => (draw++ % 2 === 0 ? 0 : 0.99)), from + 1);
    }
    const fallback = await freePortIn({ from, to: from }, () => 0);
    assert.notEqual(fallback, from);
    await listen(fallback).then((server) => new Promise((resolve) => server.close(resolve)));
  } finally {
    await new Promise((resolve) => held.close(resolve));
  }
});
