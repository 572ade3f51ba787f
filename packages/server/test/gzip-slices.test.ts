import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, createGzip } from 'node:zlib';
import { gzipInSlices } from '../src/replay/gzip-slices.ts';

/** Text that compresses, but not to nothing: the compressor has work to do. */
function slice(n: number, bytes: number): string {
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `{"id":"US-${n}-${i}","due":${(n * 7919 + i * 104729) % 1000003}},`;
  return text.slice(0, bytes);
}

/** A snapshot's text is compressed as it is written (issue 14, "RSS flat after warm-up"). */
describe('gzipInSlices', () => {
  it('gives the gzip of all the text written, and its length in bytes', async () => {
    const pieces = ['{"a":"Ё"', ',"b":[1,2]}', '\n'];
    const out = await gzipInSlices(async (write, settle) => {
      for (const piece of pieces) {
        write(piece);
        await settle();
      }
    });
    assert.equal(gunzipSync(out.compressed).toString('utf8'), pieces.join(''));
    assert.equal(out.textBytes, Buffer.byteLength(pieces.join(''), 'utf8'));
  });

  it('makes the next slice only once the compressor has taken the last: the text queued stays within a slice and its buffer', async () => {
    const gzip = createGzip();
    const sliceBytes = 64 * 1024;
    let most = 0;
    let sent = '';
    const out = await gzipInSlices(async (write, settle) => {
      for (let n = 0; n < 160; n++) {
        const text = slice(n, sliceBytes);
        sent += text;
        write(text);
        most = Math.max(most, gzip.writableLength);
        await settle();
      }
    }, gzip);
    assert.equal(gunzipSync(out.compressed).toString('utf8'), sent);
    // 10 MB written; without the wait for 'drain' most of it queued at once.
    assert.ok(most <= sliceBytes + gzip.writableHighWaterMark, `${most} bytes queued at most`);
  });

  it('fails as the compressor fails, and makes no slice after, whether it waited for the compressor or not', async () => {
    for (const sliceBytes of [64, 256 * 1024]) {
      const gzip = createGzip();
      let made = 0;
      await assert.rejects(
        gzipInSlices(async (write, settle) => {
          for (let n = 0; n < 100; n++) {
            write(slice(n, sliceBytes));
            made++;
            if (n === 3) gzip.destroy(new Error('the compressor broke'));
            await settle();
          }
        }, gzip),
        /the compressor broke/,
      );
      assert.equal(made, 4, `slices of ${sliceBytes} bytes`);
    }
  });

  it('fails as the writer fails', async () => {
    await assert.rejects(
      gzipInSlices(async (write) => {
        write('{');
        throw new Error('the state could not be read');
      }),
      /the state could not be read/,
    );
  });
});
