import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';

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
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { ...info, version: '0.1.0' } },
    transform: createJsonSchemaTransform({ skipList: ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/initOAuth', '/docs/uiConfig', '/docs/static/*', '/docs/*'] }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
