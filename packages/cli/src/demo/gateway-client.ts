/**
 * A logged-in official's view of a gateway's JSON API, as a browser would use it: the
 * session cookie on every call and the CSRF token on every write.
 */
export class GatewayClient {
  private constructor(
    readonly baseUrl: string,
    readonly username: string,
    private readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  static async login(baseUrl: string, username: string, password: string): Promise<GatewayClient> {
    const response = await fetch(`${baseUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const body = (await response.json()) as { csrfToken?: string; code?: string; message?: string };
    if (response.status !== 200 || !body.csrfToken) throw new Error(`login of ${username} at ${baseUrl} failed: ${response.status} ${body.code ?? ''} ${body.message ?? ''}`);
    const cookie = (response.headers.getSetCookie?.() ?? []).map((line) => line.split(';')[0]).join('; ');
    return new GatewayClient(baseUrl, username, cookie, body.csrfToken);
  }

  async get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (method !== 'GET') {
      headers['x-csrf-token'] = this.csrfToken;
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (response.status >= 400) {
      const error = parsed as { code?: string; message?: string } | undefined;
      throw new Error(`${method} ${path} as ${this.username}: ${response.status} ${error?.code ?? ''}: ${error?.message ?? text}`);
    }
    return parsed as T;
  }
}
