import { z } from 'zod';
import { PAGE_LIMIT } from '@evenhand/core';

/**
 * Schema pieces every service's routes share (issue 16, "API contracts"). Each route's
 * `schema` is built by `route()` below, so that every route documents the error body its
 * failures answer with, and no route can forget it.
 */

/** Every failure answers this (error-handler.ts), with the status from the one table in errors.ts. */
export const errorBodySchema = z
  .strictObject({
    code: z.string().describe('a stable error code, such as REQUEST_UNKNOWN; the status comes from the table in errors.ts'),
    message: z.string().describe('what was wrong, naming the field and the rule'),
    field: z.string().optional().describe("the input the message is about, from the request's part: body.x, body.items[3], body.extra[\"case no\"] (a name with a space, a dot or a bracket, quoted), query.after, path.id, headers.content-type; an entry's refusal by the core names the member of the entry (author, time, body.x)"),
  })
  .meta({ id: 'Error' });

/** An instant, and a party, as every answer gives them. */
export const instant = z.number().int().describe('Unix seconds');
export const partyId = z.string().describe('a party code such as "US"');

/** A party named in a query (a filter): a party code as the treaty's schema allows. */
export const partyQuery = z.string().regex(/^[A-Z]{2,3}$/, 'a party code of 2-3 capital letters such as "US"');

/**
 * A whole number in a query, from `min` to `max`, written in decimal digits. Query values
 * arrive as text; read with Number(), an empty `?size=` was 0 (a view of the empty log, or
 * the statistics of 1970) and `0x3`, `+1` or ` 1` were numbers too.
 */
export function wholeQuery(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]*)$/, 'a whole number in decimal digits, such as 42')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** A count that may be 0: a log index, a size, an instant. */
export const countQuery = wholeQuery(0);

/** A yes/no query value: "true" or "false" (as Fastify's JSON-schema coercion read it before). */
export const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

/** A path or query id: what the core's ids allow (at most 64 characters), as the router's limit says. */
export const idParam = z.string().min(1).max(100);
export const idParams = z.strictObject({ id: idParam });

/** A page's cursor and length (core/views/public-views.ts): at most PAGE_LIMIT items. */
export const pageQueryShape = {
  after: z.string().max(16).optional().describe('the cursor of the page (the `next` of the previous one)'),
  limit: wholeQuery(1, PAGE_LIMIT).optional().describe(`at most ${PAGE_LIMIT} items`),
};

/**
 * A page of a gateway's own rows (drafts, proposals: store row-page.ts): the cursor names the
 * instant and id of the row the last page ended with, so it is longer than a position.
 */
export const rowPageQueryShape = {
  ...pageQueryShape,
  after: z.string().max(120).optional().describe('the cursor of the page (the `next` of the previous one): `<instant>.<id>` of the row it ended with'),
};

/** An entry the exchange took, at its index in the log. */
export const indexAnswer = z.strictObject({ index: z.number().int().min(0).describe('the log index of the entry') });

export const okAnswer = z.strictObject({ ok: z.literal(true) });

/** An answer that is text, not JSON (C2SP notes, tiles, policies). */
export function textAnswer(description: string, contentType = 'text/plain; charset=utf-8') {
  return { description, content: { [contentType]: { schema: z.string() } } };
}

/** An answer that is bytes (a tile, an evidence file, a proof bundle). */
export function bytesAnswer(description: string, contentType = 'application/octet-stream') {
  return { description, content: { [contentType]: { schema: z.string().meta({ format: 'binary' }) } } };
}

/** An answer in JSON, or in CSV with `?format=csv` (one row per item, for a spreadsheet). */
export function jsonOrCsvAnswer(description: string, json: z.ZodType) {
  return { description, content: { 'application/json': { schema: json }, 'text/csv; charset=utf-8': { schema: z.string() } } };
}

/** An answer with no body (204): @fastify/swagger lists a `null` schema without content. */
export function noContent(description: string) {
  return z.null().describe(description);
}

/** A response by content type, as OpenAPI lists one: text, bytes, JSON or CSV. */
type ResponseByContent = { readonly description: string; readonly content: Readonly<Record<string, { readonly schema: z.ZodType }>> };

type ResponseSchema = z.ZodType | ResponseByContent;

export interface RouteContract {
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly params?: z.ZodType;
  readonly querystring?: z.ZodType;
  readonly body?: z.ZodType;
  /** The answers by status; failures (4xx, 5xx) are added as the error body unless `failures` lists them. */
  readonly response: Readonly<Record<number, ResponseSchema>>;
  /** 'as-listed': the route answers failures as its protocol says (C2SP text), and `response` lists each. */
  readonly failures?: 'error-body' | 'as-listed';
}

/** A route's Fastify schema from its contract: every status it answers, the failures' included. */
export function route(contract: RouteContract) {
  const { response, tags, failures, ...rest } = contract;
  return { ...rest, tags: [...tags], response: failures === 'as-listed' ? { ...response } : { ...response, '4xx': errorBodySchema, '5xx': errorBodySchema } };
}

/**
 * An entry body's schema without the member the route's path supplies (the request or trade
 * id): what the client sends. Every entry body schema of the core is a strict zod object.
 */
export function bodyWithout(schema: z.ZodType, member: string): z.ZodType {
  if (!(schema instanceof z.ZodObject)) throw new Error(`bodyWithout: the schema is no object, so it has no member ${member}`);
  return schema.omit({ [member]: true } as Record<string, true> & Record<number, never>);
}
