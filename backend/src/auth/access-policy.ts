/**
 * Who may call what: the one table. Reading (GET) and reserving are open —
 * that is the lab; everything that changes the experiment needs an operator
 * token. Keys are `METHOD path` exactly as the route is registered (Fastify's
 * `:param` syntax). A write route missing here is refused to everyone but the
 * operator (fail closed), and the route-table test fails until it is listed.
 */
export type Access = 'open' | 'operator';

export const ACCESS_POLICY: Readonly<Record<string, Access>> = {
  'POST /api/auth/token': 'open',
  'POST /api/reservations': 'open',
  'PUT /api/simulation/offsets/:server_id': 'operator',
  'POST /api/simulation/scenarios/:name/apply': 'operator',
  'POST /api/time/sync': 'operator',
  'POST /api/replay': 'operator',
  'POST /api/simulation/runs': 'operator',
  'POST /api/simulation/runs/:id/resume': 'operator',
  'POST /api/lab/reset': 'operator',
};

/** Methods that change nothing; open unless the table says otherwise. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export const policyKey = (method: string, routePath: string): string => `${method.toUpperCase()} ${routePath}`;

export const accessFor = (method: string, routePath: string): Access =>
  ACCESS_POLICY[policyKey(method, routePath)] ?? (SAFE_METHODS.has(method.toUpperCase()) ? 'open' : 'operator');

/** `/api/simulation/offsets/:server_id` → `/api/simulation/offsets/{server_id}` (OpenAPI's template syntax). */
export const toOpenApiPath = (routePath: string): string => routePath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export const operatorRoutes = (): { method: string; path: string }[] =>
  Object.entries(ACCESS_POLICY)
    .filter(([, access]) => access === 'operator')
    .map(([key]) => {
      const [method, path] = key.split(' ') as [string, string];
      return { method, path };
    });
