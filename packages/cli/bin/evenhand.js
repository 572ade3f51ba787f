#!/usr/bin/env node
// The installed `evenhand` command (issue 16): it runs the JavaScript that `scripts/build.mjs`
// compiled into each package's dist/, without tsx. The packages' exports name dist/ under the
// "evenhand-dist" condition and src/ otherwise (for the tests, which run the sources through
// tsx), so this process resolves @evenhand/* with that condition first.
import { register } from 'node:module';

register('./dist-condition.js', import.meta.url);
const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv.slice(2));
