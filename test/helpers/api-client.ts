// The few API calls that set up a wave on a server in another process, over real HTTP.
export const SEED_PASSWORD = 'correct horse battery staple';

export interface SeededWave {
  id: string;
  token: string;
  /** A manager's bearer token, for the API. */
  bearer: string;
}

async function call(baseUrl: string, method: string, path: string, body?: unknown, bearer?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function expectStatus(baseUrl: string, expected: number, method: string, path: string, body?: unknown, bearer?: string) {
  const res = await call(baseUrl, method, path, body, bearer);
  if (res.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

/** A server in another process: where it answers, and the setup code it printed at start. */
export interface SetupTarget {
  baseUrl: string;
  setupCode(): string;
}

/** First-run setup (with the server's one-time code, as an operator would) and login; returns the admin's bearer token. */
export async function setupAndLogin(server: SetupTarget, email = 'beheer@opvang.test'): Promise<string> {
  await expectStatus(server.baseUrl, 201, 'POST', '/api/v1/setup',
    { organisation: 'Opvang Belasting', email, password: SEED_PASSWORD, setupCode: server.setupCode() });
  return login(server.baseUrl, email);
}

export async function login(baseUrl: string, email = 'beheer@opvang.test'): Promise<string> {
  const body = await expectStatus(baseUrl, 200, 'POST', '/api/v1/auth/login', { email, password: SEED_PASSWORD });
  return String(body.token);
}

/** An open anonymous TNO quickscan wave. */
export async function createQuickscanWave(baseUrl: string, bearer: string, label = 'Belasting'): Promise<SeededWave> {
  const body = await expectStatus(baseUrl, 201, 'POST', '/api/v1/waves', { instrument: 'tno-quickscan', label, mode: 'anonymous' }, bearer);
  return { id: String(body.id), token: String(body.token), bearer };
}

export async function getJson(baseUrl: string, path: string, bearer: string): Promise<{ status: number; body: unknown }> {
  return call(baseUrl, 'GET', path, undefined, bearer);
}
