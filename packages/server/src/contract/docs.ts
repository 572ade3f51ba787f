import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { z } from 'zod';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { toPointer } from './json-pointer.ts';

/**
 * The API contract of a service (issue 16, "API contracts"): every route states its request
 * and response schemas as zod schemas. The same zod schema validates the request (Fastify's
 * validator compiler below) and is turned into the JSON Schema that `/docs` publishes
 * (OpenAPI 3.1, whose schemas are JSON Schema 2020-12), so the two cannot drift.
 *
 * Answers are written as plain JSON, not re-encoded through their schema: a schema that fell
 * behind the code must not turn a good answer into a 500 or strip a field from it. What keeps
 * the response schemas true is `contract.test.ts`, which checks every route's answers on the
 * demo against the document `/docs/json` publishes.
 */
export async function registerApiContract(app: FastifyInstance, info: { title: string; description: string }): Promise<void> {
  app.setValidatorCompiler(routeValidator);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { ...info, version: '0.1.0' } },
    // Schemas named with .meta({ id }) are published once, under components.schemas, and referred to.
    transformObject: jsonSchemaTransformObject,
    transform: createJsonSchemaTransform({ skipList: ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/initOAuth', '/docs/uiConfig', '/docs/static/*', '/docs/*'] }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

/** Schemas that document a body the core's `apply` checks itself, with its own codes (BODY_INVALID and the rest). */
const CHECKED_BY_CORE = new WeakSet<object>();

/**
 * An entry body as the core's zod schema states it, published at /docs but checked by `apply`
 * rather than by the route: the same schema object, so the document and the check cannot
 * drift, and the refusal keeps the code and article `apply` gives it.
 */
export function checkedByCore<T extends z.ZodType>(schema: T): T {
  const documented = schema.describe(`${schema.description ? `${schema.description}. ` : ''}Checked by the core's apply against this schema; a refusal answers with apply's code and the field`) as T;
  CHECKED_BY_CORE.add(documented);
  return documented;
}

/**
 * A zod issue as Fastify's validation error, its path kept whole in `params.path`: the type
 * provider's own compiler joins the path with `/` unescaped, so a member named `a/b` read as two
 * members and a record's key `"0"` as an array position (error-handler.ts `validationField`).
 * `instancePath` is the RFC 6901 pointer, escaped, for whatever else reads it.
 */
function validationErrorOf(issue: z.core.$ZodIssue): FastifySchemaValidationError {
  const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  return { keyword: issue.code, instancePath: toPointer(path), schemaPath: '#', params: { path }, message: issue.message };
}

/** The validator every route's schema is compiled with: zod's, except where the core checks the body. */
const routeValidator: FastifySchemaCompiler<z.ZodType> = (route) => {
  if (CHECKED_BY_CORE.has(route.schema)) return (data: unknown) => ({ value: data });
  const schema = route.schema;
  return (input: unknown) => {
    // A POST with no body reaches the validator as null: it is an absent body, which an optional body schema allows.
    const data = route.httpPart === 'body' && input === null ? undefined : input;
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: result.error.issues.map(validationErrorOf) };
  };
};
