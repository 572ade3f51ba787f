import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** Where `vite build` puts packages/web's output (scripts/build-web.mjs builds it). */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The pages only load their own scripts and styles and talk to their own origin; framing is
 * refused so the console cannot be overlaid by another site (clickjacking). React sets
 * styles through the CSSOM, which style-src does not govern, so no 'unsafe-inline' is needed.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** An asset name as Vite writes it: no directories, so no way out of dist/assets. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

function missingPage(page: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Evenhand</title></head><body><main><h1>Evenhand</h1><p>The web pages are not built (no ${page} in packages/web/dist): run <code>npm run build:web</code> and reload. The API works without them; see <a href="/docs">/docs</a>.</p></main></body></html>`;
}

/** A page of the build, read once (a few hundred bytes that only change with a rebuild and restart), or the page saying how to build it. */
function pageHtml(page: string, dist: string): { built: boolean; html: string } {
  const file = join(dist, page);
  const built = existsSync(file);
  return { built, html: built ? readFileSync(file, 'utf8') : missingPage(page) };
}

function servePage(app: FastifyInstance, path: string, html: string): void {
  app.get(path, { schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').send(html),
  );
}

/**
 * Serves one page of the web build at `/` and the build's `/assets/*` (issue 5): the console
 * on a gateway, the transparency page on the exchange. The services must start without a
 * build, so a missing page is answered with a short page saying how to build it, and a
 * one-line hint is printed.
 */
export async function registerStaticSite(app: FastifyInstance, page: 'index.html' | 'transparency.html', dist: string = WEB_DIST): Promise<{ built: boolean }> {
  const { built, html } = pageHtml(page, dist);
  servePage(app, '/', html);
  app.get('/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const { name } = request.params as { name: string };
    const type = TYPES[extname(name)];
    if (!ASSET_NAME.test(name) || name.includes('..') || !type) return reply.status(404).send({ code: 'NOT_FOUND', message: `no asset ${name}` });
    const body = await readFile(join(dist, 'assets', name)).catch(() => undefined);
    if (!body) return reply.status(404).send({ code: 'NOT_FOUND', message: `no asset ${name}` });
    // Vite puts a content hash in every asset name, so an asset never changes under its name.
    return reply.header('content-type', type).header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(body);
  });
  if (!built && !hinted) {
    hinted = true;
    console.error(`evenhand: web pages not built (no packages/web/dist/${page}); run npm run build:web`);
  }
  return { built };
}

/** Where the explanation of case proofs is served, on the exchange and on each gateway. */
export const CASE_PROOFS_PAGE = '/case-proofs';

/**
 * Another page of the same build at `path`, beside the one at `/`, whose assets that
 * registration serves: the explanation of case proofs (issue 13), which both the exchange
 * and the gateways serve, so that the public page and the console each link to it on their own origin.
 */
export function registerStaticPage(app: FastifyInstance, path: string, page: 'proofs.html', dist: string = WEB_DIST): { built: boolean } {
  const { built, html } = pageHtml(page, dist);
  servePage(app, path, html);
  return { built };
}

/** The hint is printed once per process, not once per app that tests build. */
let hinted = false;
