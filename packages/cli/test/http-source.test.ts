import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { entriesPath } from '@evenhand/log';
import { startLocalServer } from '@evenhand/testing';
import { HttpSource } from '../src/verify/http-source.ts';

/**
 * `verify --log <url>` against a log that answers and then stalls: every read is bounded in
 * time, the body included, and a log that stops answering is reported as out of reach, never
 * as a log that lacks what it was asked for.
 */
describe('a log read over HTTP', () => {
  const stalled: ServerResponse[] = [];
  const checkpoint = 'evenhand.example/log\n1000\nAAAA\n\n';
  const servers: { close(): Promise<void> }[] = [];
  after(async () => {
    for (const response of stalled) response.destroy();
    for (const server of servers) await server.close();
  });

  /** A log whose `/checkpoint` answers at once (or sends its headers and stalls, `stallCheckpoint`), and whose other paths send their headers and stall. */
  async function stallingLog(stallCheckpoint: boolean): Promise<string> {
    const server = await startLocalServer((request, response) => {
      if (request.url === '/checkpoint' && !stallCheckpoint) {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(checkpoint);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.write('partial');
      stalled.push(response);
    });
    servers.push(server);
    return server.url;
  }

  it('reports a checkpoint whose body stalls as out of reach', async () => {
    const url = await stallingLog(true);
    await assert.rejects(HttpSource.open(url, { timeoutMs: 300 }), (error: Error) => {
      assert.match(error.message, new RegExp(`^cannot reach ${url}/checkpoint: `));
      return true;
    });
  });

  it('reports a bundle fetched ahead whose body stalls as out of reach when it is read, not as missing', async () => {
    const url = await stallingLog(false);
    const source = await HttpSource.open(url, { timeoutMs: 300 });
    assert.equal(source.checkpoint(), checkpoint);
    source.ahead(-1);
    const path = entriesPath(0, 256);
    await assert.rejects(source.fetch(path), (error: Error) => {
      assert.match(error.message, new RegExp(`^cannot reach ${url}/${path.replace(/[./]/g, '\\$&')}: `));
      return true;
    });
  });
});
