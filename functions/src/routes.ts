/**
 * The HTTP API, declared once: each route's method, path, the function that answers it and its summary.
 * Everything else is derived from this table: each function's router (commons/http.ts `apiRouter`), the local
 * stack's dispatch (local/stack.ts), API Gateway's routes (infra/lib/api-stack.ts), CloudFront's uncached paths
 * (infra/lib/web-stack.ts) and the OpenAPI paths (services/openapi.ts). A route is added here, then
 * TypeScript asks for its implementation in its function's handler and its documentation in openapi.ts.
 *
 * Paths are in API Gateway's syntax: `{name}` is one segment, a trailing `{name+}` the rest of the path.
 * API Gateway sends every method of a path to its function, whose router answers 405 for a method not listed
 * here; so the local stack and AWS answer alike.
 */
import { MODULE_ERROR_KINDS } from '../../shared-types/src/module-errors.ts';

export type ApiFunction = 'ingest-records' | 'read-api' | 'module-registry' | 'social-card';

export interface RouteDefinition {
  method: 'GET' | 'POST';
  path: string;
  fn: ApiFunction;
  summary: string;
}

export const routes = {
  sendRecords: {
    method: 'POST', path: '/api/v1/records', fn: 'ingest-records',
    summary: 'Send records (JSON array, NDJSON, or CSV with ?type=), in any order. Safe to retry: the copy with the latest updatedAt wins. A tombstone `{type, id, unitId, updatedAt, deleted: true}` (no other field) withdraws a record: it counts nowhere until a still later full copy brings it back. A key replaces or deletes only records its scope holds (a city-scoped key any record). Ids and codes are taken in Unicode NFC.',
  },
  storedRecord: {
    // The ingest function answers: it authenticates ingest keys. An id may hold `/`.
    method: 'GET', path: '/api/v1/records/{type}/{id+}', fn: 'ingest-records',
    summary: 'The stored copy of one record and the key that wrote it. A scoped key sees only records its scope holds (any other is 404).',
  },
  status: {
    method: 'GET', path: '/api/v1/status', fn: 'read-api',
    summary: 'pending is 0 when every accepted record is reflected in scores and snapshots (dirty notes and queued periods, each counted up to 1,000); awaitingProcedure counts stored dossiers whose procedure has not arrived (as of the last scoring run).',
  },
  units: {
    method: 'GET', path: '/api/v1/units', fn: 'read-api',
    summary: 'The units of a period: those of the registries in force during it, each with its registry, validFrom/validTo, official code, predecessors, successors, and `retired: true` when it ceased during the period. Without `period`: the units in force now.',
  },
  scores: {
    method: 'GET', path: '/api/v1/scores', fn: 'read-api',
    summary: 'Scores of every unit for a period, with every indicator’s n, d, ratio, points; groups; total; band; rank. Without `period`: the last complete month. An ongoing period is judged at asOf and marked `provisional: true`.',
  },
  unitScores: {
    method: 'GET', path: '/api/v1/units/{id}/scores', fn: 'read-api',
    summary: 'A unit’s score history: every period within [from, to], at most 60 months (400 past that). Without them: the last 60 months up to the current one.',
  },
  unitCard: {
    method: 'GET', path: '/api/v1/units/{id}/card.png', fn: 'social-card',
    summary: 'A unit’s score card in a period as a 1200×630 PNG (what a shared link shows on social networks): its total, band, rank, change since the previous period and groups, drawn from the published snapshots; a provisional period says so, with its as-of time. `lang` is vi (default) or en.',
  },
  feedback: {
    method: 'GET', path: '/api/v1/feedback', fn: 'read-api',
    summary: 'The 1022 view: per field and per handling unit, received, resolved, on time, overdue, open (openNotDue: not yet due; openOverdue: past due), on-time and satisfaction rates. Without `period`: the last complete month.',
  },
  method: { method: 'GET', path: '/api/v1/method', fn: 'read-api', summary: 'The method table in force.' },
  openapi: { method: 'GET', path: '/api/v1/openapi.json', fn: 'read-api', summary: 'This document.' },
  modules: {
    method: 'GET', path: '/api/v1/modules', fn: 'module-registry',
    summary: 'The live import map and every module’s current version (micro-frontend registry).',
  },
  moduleVersions: {
    method: 'GET', path: '/api/v1/modules/{name}/versions', fn: 'module-registry',
    summary: 'Every version of a module ever published, oldest first, and the current one.',
  },
  publishVersion: {
    method: 'POST', path: '/api/v1/modules/{name}/versions', fn: 'module-registry',
    summary: 'Publish a version and make it live (a retired module comes back). The key must be scoped to the module; url/css under /modules/{name}/{version}/, their bytes uploaded to /modules/_staging/{name}/{version}/ (the registry copies them into the version folder only when it accepts the publish), within their size limits (413), matching their sha384 SRI; the route must be the module’s to take (403 a platform route, 409 another module’s). Versions are immutable: the identical version again is a no-op (200), other files under the same version are refused (409).',
  },
  checkVersion: {
    method: 'POST', path: '/api/v1/modules/{name}/check', fn: 'module-registry',
    summary: 'Would this version be published? Every rule of the publish but the files (key, shape, route, immutability), so a deploy uploads nothing a publish would refuse.',
  },
  previewVersion: {
    method: 'POST', path: '/api/v1/modules/{name}/preview', fn: 'module-registry',
    summary: 'Preview before live: the same rules and files as a publish; the version is recorded (history) but not made current, and the site as it would be with it is rendered at a preview link, /?preview={token} (then a cookie; ?preview=off leaves it). Publishing the same version later makes it current.',
  },
  reportModuleError: {
    method: 'POST', path: '/api/v1/modules/{name}/errors', fn: 'module-registry',
    summary: `A page reports that a module failed (the shell's or the kit's beacon, no key): {version, kind} with kind one of ${MODULE_ERROR_KINDS.join(', ')}. Counted per module, version, kind and city day, at most 5,000 a module a day (then counted: false); 404 for a module not live.`,
  },
  moduleErrors: {
    method: 'GET', path: '/api/v1/modules/{name}/errors', fn: 'module-registry',
    summary: 'The module\'s error counts of the last 30 days, by day, version and kind (its team key).',
  },
  retireModule: {
    method: 'POST', path: '/api/v1/modules/{name}/retire', fn: 'module-registry',
    summary: 'Take a module out of the import map, the navigation and index.html. Its history is kept; publishing or rolling back makes it live again.',
  },
  rollbackModule: {
    method: 'POST', path: '/api/v1/modules/{name}/rollback', fn: 'module-registry',
    summary: 'Make a previously published version live again.',
  },
} as const satisfies Record<string, RouteDefinition>;

export type RouteId = keyof typeof routes;
/** The routes one function answers. */
export type RouteIdOf<F extends ApiFunction> = { [K in RouteId]: (typeof routes)[K]['fn'] extends F ? K : never }[RouteId];

export const routeEntries = Object.entries(routes) as [RouteId, RouteDefinition][];

/** Every path of the API once, with the function that answers it (a path belongs to one function) and its methods. */
export function apiPaths(): { path: string; fn: ApiFunction; methods: RouteDefinition['method'][] }[] {
  const byPath = new Map<string, { path: string; fn: ApiFunction; methods: RouteDefinition['method'][] }>();
  for (const [, { path, fn, method }] of routeEntries) {
    const entry = byPath.get(path) ?? { path, fn, methods: [] };
    if (entry.fn !== fn) throw new Error(`${path} is routed to both ${entry.fn} and ${fn}`);
    entry.methods.push(method);
    byPath.set(path, entry);
  }
  return [...byPath.values()];
}
