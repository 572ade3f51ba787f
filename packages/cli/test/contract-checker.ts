import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * Checks a service's answers against the OpenAPI document it publishes at /docs/json (issue 16,
 * "a test checks that every route's documented schema accepts what the route returns"). Each
 * answer is matched to its operation by method and path template, then to the documented
 * status (or its 4XX/5XX range) and content type, and a JSON body is validated with Ajv
 * against the published JSON Schema (2020-12, as OpenAPI 3.1 states). The checker also
 * records which operations were answered, so a test can require every one.
 */
export interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
}

interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, { readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: unknown }> }> }>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export class ContractChecker {
  readonly operations: Operation[] = [];
  /** Operations answered, with the statuses seen: "GET /v1/requests/{id}" → {200, 404}. */
  readonly answered = new Map<string, Set<number>>();
  readonly failures: string[] = [];
  private readonly ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    readonly service: string,
    private readonly document: OpenApiDocument,
  ) {
    if (!document.openapi.startsWith('3.1')) throw new Error(`${service}: expected an OpenAPI 3.1 document, found ${document.openapi}`);
    this.ajv.addSchema(document as object, 'doc');
    for (const [template, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        if (!item[method]) continue;
        // "{id}" matches one path segment; "{*}" (a wildcard route) matches the rest.
        const source = template.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{\*\}/g, '.+').replace(/\{[^}]+\}/g, '[^/]+');
        this.operations.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`) });
      }
    }
  }

  /** The operation an answered request belongs to: a literal path beats a template. */
  operationOf(method: string, path: string): Operation | undefined {
    const bare = path.split('?')[0]!;
    const candidates = this.operations.filter((operation) => operation.method === method && operation.pattern.test(bare));
    return candidates.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0))[0];
  }

  /** Checks one answer; a mismatch is recorded with the operation, status and Ajv's words. */
  check(method: string, path: string, status: number, contentType: string, body: string): void {
    const operation = this.operationOf(method, path);
    if (!operation) {
      this.failures.push(`${this.service}: ${method} ${path} answered ${status}, but /docs/json documents no such operation`);
      return;
    }
    const key = `${operation.method} ${operation.template}`;
    const seen = this.answered.get(key) ?? new Set<number>();
    seen.add(status);
    this.answered.set(key, seen);
    const responses = this.document.paths[operation.template]![operation.method.toLowerCase()]!.responses ?? {};
    const documentedStatus = [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default'].find((each) => responses[each] !== undefined);
    if (documentedStatus === undefined) {
      this.failures.push(`${this.service}: ${key} answered ${status}, a status its document does not list (${Object.keys(responses).join(', ')})`);
      return;
    }
    const content = responses[documentedStatus]!.content ?? {};
    const types = Object.keys(content);
    if (types.length === 0) {
      if (body.length > 0) this.failures.push(`${this.service}: ${key} ${status} is documented without a body, but answered ${body.length} bytes`);
      return;
    }
    const mediaType = contentType.split(';')[0]!.trim();
    const documentedType = types.find((type) => type.split(';')[0]!.trim() === mediaType);
    if (documentedType === undefined) {
      this.failures.push(`${this.service}: ${key} ${status} answered ${mediaType || '(no content type)'}, documented as ${types.join(' or ')}`);
      return;
    }
    if (mediaType !== 'application/json') return;
    const pointer = `doc#/paths/${escapePointer(operation.template)}/${operation.method.toLowerCase()}/responses/${documentedStatus}/content/${escapePointer(documentedType)}/schema`;
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: pointer });
      this.compiled.set(pointer, validate);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      this.failures.push(`${this.service}: ${key} ${status} said JSON but its body does not parse`);
      return;
    }
    if (!validate(parsed)) {
      const error = validate.errors?.[0];
      this.failures.push(`${this.service}: ${key} ${status}: the documented schema refuses the answer at ${error?.instancePath || '(root)'}: ${error?.message ?? ''} ${JSON.stringify(error?.params ?? {})}`);
    }
  }

  /** Documented operations no answer reached, apart from those the test names as left out. */
  unanswered(): string[] {
    return this.operations.map((operation) => `${operation.method} ${operation.template}`).filter((key) => !this.answered.has(key));
  }
}

/** A JSON pointer segment (RFC 6901): "~" and "/" escaped. */
function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
