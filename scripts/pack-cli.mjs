#!/usr/bin/env node
// Packs the `evenhand` command into one npm tarball that installs and runs in an empty
// directory (issue 16). The command needs the workspace's own packages, which are not on the
// registry, so the tarball bundles their compiled dist/ (bundleDependencies) and declares the
// registry packages they import, which npm installs beside it. Sources, tests and tsx stay
// out: the installed command runs the JavaScript only.
//
//   node scripts/pack-cli.mjs [--out DIR] [--stage DIR]     (npm run pack)
//
// --stage names the folder the package is laid out in (.build/pack/evenhand by default); it is
// emptied first, so two packs at once each need their own.
//
// Prints the tarball's path on stdout; progress goes to stderr.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The value of `--name <value>`, or undefined. */
const flag = (name) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const out = resolve(flag('--out') ?? root);
/** The packages the command loads at run time; web is only its built pages. */
const BUNDLED = ['core', 'crypto', 'log', 'store', 'server', 'web'];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const run = (args) => {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`pack: ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
};

run([join(root, 'scripts', 'build-web.mjs')]);
run([join(root, 'scripts', 'build.mjs')]);

const rootManifest = readJson(join(root, 'package.json'));
const cli = readJson(join(root, 'packages', 'cli', 'package.json'));
const stage = resolve(flag('--stage') ?? join(root, '.build', 'pack', 'evenhand'));
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

/** The registry packages every bundled package imports, one range each: two ranges for one name would be a build error. */
const dependencies = {};
/** The version of each bundled package, which its dependants must name exactly, or npm would look for it on the registry. */
const bundledVersions = {};
const addDependencies = (from, manifest) => {
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (name.startsWith('@evenhand/')) continue;
    if (dependencies[name] !== undefined && dependencies[name] !== range) {
      console.error(`pack: ${from} wants ${name}@${range}, another package ${dependencies[name]}; make them agree`);
      process.exit(1);
    }
    dependencies[name] = range;
  }
};
addDependencies('cli', cli);

/** Each export of a bundled package points at its dist/ file: nothing in the tarball has sources. */
const distExports = (exports) => Object.fromEntries(Object.entries(exports).map(([path, target]) => [path, typeof target === 'string' ? target : target['evenhand-dist']]));

for (const name of BUNDLED) {
  const from = join(root, 'packages', name);
  const manifest = readJson(join(from, 'package.json'));
  if (name !== 'web') addDependencies(name, manifest);
  bundledVersions[manifest.name] = manifest.version;
  const to = join(stage, 'node_modules', '@evenhand', name);
  if (!existsSync(join(from, 'dist'))) {
    console.error(`pack: packages/${name}/dist is missing; the build did not make it`);
    process.exit(1);
  }
  cpSync(join(from, 'dist'), join(to, 'dist'), { recursive: true });
  const staged = { name: manifest.name, version: manifest.version, type: 'module', description: manifest.description };
  if (manifest.exports) staged.exports = distExports(manifest.exports);
  writeFileSync(join(to, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
}

cpSync(join(root, 'packages', 'cli', 'dist'), join(stage, 'dist'), { recursive: true });
cpSync(join(root, 'packages', 'cli', 'bin'), join(stage, 'bin'), { recursive: true });
cpSync(join(root, 'treaties'), join(stage, 'treaties'), { recursive: true });
cpSync(join(root, 'README.md'), join(stage, 'README.md'));
const manifest = {
  name: 'evenhand',
  version: rootManifest.version,
  description: rootManifest.description,
  type: 'module',
  engines: rootManifest.engines,
  bin: cli.bin,
  exports: { '.': './dist/main.js' },
  files: ['bin', 'dist', 'treaties', 'README.md'],
  // npm bundles a package only if it is a dependency as well (package.json docs, bundleDependencies).
  dependencies: Object.fromEntries([...Object.entries(dependencies), ...Object.entries(bundledVersions)].sort(([a], [b]) => a.localeCompare(b))),
  bundleDependencies: BUNDLED.map((name) => `@evenhand/${name}`),
};
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

mkdirSync(out, { recursive: true });
console.error(`pack: packing ${stage}…`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const packed = spawnSync(npm, ['pack', '--json', '--pack-destination', out], { cwd: stage, encoding: 'utf8' });
if (packed.status !== 0) {
  console.error(packed.stderr);
  process.exit(packed.status ?? 1);
}
const [{ filename, size, entryCount }] = JSON.parse(packed.stdout);
console.error(`pack: ${entryCount} files, ${(size / 1024).toFixed(0)} KiB`);
console.log(join(out, filename));
