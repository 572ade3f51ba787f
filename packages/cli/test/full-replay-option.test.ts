import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { exchangeConfigSchema, gatewayConfigSchema, readConfig } from '../src/config/service-config.ts';
import { REPO_ROOT, runCli } from './run-cli.ts';

/**
 * Issue 14, "Snapshots": `--full-replay` on both services that replay the log, with the help
 * saying why an operator would use it, and the snapshot interval in their configs.
 */
describe('--full-replay and snapshotEvery', () => {
  for (const service of ['exchange', 'gateway']) {
    it(`${service} serve --help offers --full-replay and says when to use it`, () => {
      const run = runCli([service, 'serve', '--help']);
      assert.equal(run.status, 0, run.stderr);
      const help = run.stdout.replace(/\s+/g, ' ');
      assert.match(help, /--full-replay ignore the stored snapshots/);
      assert.match(help, /replay the whole log/);
      assert.match(help, /use this to audit that snapshot against the log itself/);
      assert.match(help, /snapshotEvery/);
    });
  }

  it('takes a snapshot every 10,000 entries unless the config says otherwise', () => {
    const examples = join(REPO_ROOT, 'examples', 'deploy');
    assert.equal(readConfig(join(examples, 'exchange.json'), exchangeConfigSchema, ['caFile']).snapshotEvery, 10_000);
    assert.equal(readConfig(join(examples, 'gateway-us.json'), gatewayConfigSchema, ['caFile']).snapshotEvery, 10_000);
  });
});
