/** The services' error body (packages/server errors.ts): a stable code, a message naming the field. */
export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

/**
 * JSON over fetch against the page's own origin. A gateway's writes carry the session's CSRF
 * token (synchronizer-token pattern); the session itself is an httpOnly cookie the page never
 * sees. Every call is bounded, so a stalled service shows an error instead of a spinner forever.
 */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: { body?: unknown; csrf?: string; timeoutMs?: number } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch (error) {
    throw new ApiError(0, { code: 'UNREACHABLE', message: `the service did not answer (${error instanceof Error ? error.message : String(error)})` });
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const body = parsed as Partial<ApiErrorBody> | undefined;
    throw new ApiError(response.status, { code: body?.code ?? `HTTP_${response.status}`, message: body?.message ?? (text.slice(0, 200) || response.statusText), ...(body?.field ? { field: body.field } : {}) });
  }
  return parsed as T;
}
