/** The public API, documented: its paths are the route table's (routes.ts), each with its documentation here. */
import { routeEntries, type RouteId } from '../routes.ts';

const periodParam = (name: string, required: boolean) => ({
  name, in: 'query', required,
  description: 'A period: a year `YYYY`, a quarter `YYYY-Qn` or a month `YYYY-MM`, in the city\'s time zone (HCMC: Asia/Ho_Chi_Minh).',
  schema: { type: 'string', pattern: '^\\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$' },
});
const formatParam = { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'csv'], default: 'json' } };
const moduleParam = { name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' } };
const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const ok = (description: string, csv = false) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } }, ...(csv ? { 'text/csv': { schema: { type: 'string' } } } : {}) },
});

/** Each route's documentation but its summary (routes.ts): the table cannot gain a route this lacks, nor lose one. */
const operations = {
  sendRecords: {
    security: [{ ingestKey: [] }],
    parameters: [{ name: 'type', in: 'query', required: false, description: 'Record type of a CSV body.', schema: { type: 'string', enum: ['dossier', 'procedure', 'feedback'] } }],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { type: 'array' } }, 'application/x-ndjson': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
    },
    responses: {
      200: { description: 'Per-record outcome', content: { 'application/json': { schema: { $ref: '#/components/schemas/IngestReply' } } } },
      400: error, 401: error, 413: error, 415: error,
    },
  },
  storedRecord: {
    security: [{ ingestKey: [] }],
    parameters: [
      { name: 'type', in: 'path', required: true, schema: { type: 'string', enum: ['dossier', 'procedure', 'feedback'] } },
      { name: 'id', in: 'path', required: true, description: 'The record id, %-encoded (it may hold `/`).', schema: { type: 'string' } },
    ],
    responses: { 200: { description: 'The stored copy', content: { 'application/json': { schema: { $ref: '#/components/schemas/StoredRecord' } } } }, 401: error, 404: error },
  },
  status: { responses: { 200: ok('{pending, lastScoredAt, awaitingProcedure}') } },
  units: { parameters: [periodParam('period', false)], responses: { 200: ok('{period, units}'), 400: error } },
  scores: {
    parameters: [periodParam('period', false), { name: 'unit', in: 'query', required: false, schema: { type: 'string' } }, { name: 'peerGroup', in: 'query', required: false, schema: { type: 'string' } }, formatParam],
    responses: { 200: ok('{period, method, asOf, provisional, scores}', true), 400: error, 404: error, 503: error },
  },
  unitScores: {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, periodParam('from', false), periodParam('to', false)],
    responses: { 200: ok('{unitId, method, scores}'), 400: error, 404: error },
  },
  unitCard: {
    parameters: [
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } }, periodParam('period', true),
      { name: 'lang', in: 'query', required: false, schema: { type: 'string', enum: ['vi', 'en'], default: 'vi' } },
      { name: 'v', in: 'query', required: false, description: 'Ignored: the share pages name the figures\' version, so a robot fetches a new image when they change.', schema: { type: 'string' } },
    ],
    responses: { 200: { description: 'PNG, 1200×630', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } }, 400: error, 404: error },
  },
  feedback: {
    parameters: [periodParam('period', false), { name: 'unit', in: 'query', required: false, schema: { type: 'string' } }, formatParam],
    responses: { 200: ok('{period, asOf, provisional, total, byField, byUnit}', true), 400: error, 404: error },
  },
  method: { responses: { 200: ok('MethodTable') } },
  openapi: { responses: { 200: ok('OpenAPI 3.1') } },
  modules: { responses: { 200: ok('{revision, updatedAt, importMap, modules}'), 503: error } },
  moduleVersions: { parameters: [moduleParam], responses: { 200: ok('{name, current, versions}'), 404: error } },
  publishVersion: {
    security: [{ moduleKey: [] }],
    parameters: [moduleParam],
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ModuleVersion' } } } },
    responses: { 201: ok('{created: true, revision, version}'), 200: ok('{created: false, revision, version}'), 400: error, 401: error, 403: error, 404: error, 409: error, 413: error },
  },
  checkVersion: {
    security: [{ moduleKey: [] }],
    parameters: [moduleParam],
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ModuleVersion' } } } },
    responses: { 200: ok('{ok: true, uploaded, prefix}'), 400: error, 401: error, 403: error, 404: error, 409: error },
  },
  previewVersion: {
    security: [{ moduleKey: [] }],
    parameters: [moduleParam],
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ModuleVersion' } } } },
    responses: { 201: ok('{created, token, link, version}'), 400: error, 401: error, 403: error, 404: error, 409: error, 413: error },
  },
  reportModuleError: { parameters: [moduleParam], responses: { 202: ok('{counted}'), 400: error, 404: error } },
  moduleErrors: {
    security: [{ moduleKey: [] }],
    parameters: [moduleParam],
    responses: { 200: ok('{name, since, days: [{day, total, byVersion, capped}]}'), 401: error, 403: error, 404: error },
  },
  retireModule: { security: [{ moduleKey: [] }], parameters: [moduleParam], responses: { 200: ok('{revision, name, retired: {at, by}}'), 401: error, 403: error, 404: error } },
  rollbackModule: {
    security: [{ moduleKey: [] }],
    parameters: [moduleParam],
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['version'], properties: { version: { type: 'string' } } } } } },
    responses: { 200: ok('{revision, version}'), 400: error, 401: error, 403: error, 404: error },
  },
} satisfies Record<RouteId, object>;

/** The route table's path in OpenAPI's syntax: a greedy `{id+}` is `{id}` (the parameter says it may hold `/`). */
export const openApiPath = (path: string) => path.replace(/\{([^/}]+)\+\}/g, '{$1}');

/** The paths of the route table, in its order, each operation its summary and its documentation. */
function paths(): Record<string, Record<string, object>> {
  const byPath: Record<string, Record<string, object>> = {};
  for (const [id, route] of routeEntries) {
    (byPath[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = { summary: route.summary, ...operations[id] };
  }
  return byPath;
}

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Bản đồ thể chế — Institutional Transparency Map API',
    version: '1.0.0',
    description: 'Ingest dossiers, procedures and 1022 feedback; read the Decision 766 index per unit and period (method 766-v1). Errors are `{error: {code, message, details?}}`.',
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: {
      ingestKey: { type: 'http', scheme: 'bearer', description: 'An ingest key scoped to unit subtrees (`npm run keys`); a revoked or expired key gets 401.' },
      moduleKey: { type: 'http', scheme: 'bearer', description: 'A team key scoped to one micro-frontend (`npm run keys -- add --module NAME`).' },
    },
    schemas: {
      Error: {
        type: 'object', required: ['error'],
        properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
      },
      ModuleVersion: {
        type: 'object', required: ['version', 'url', 'integrity', 'manifest'],
        properties: {
          name: { type: 'string', description: 'Must equal {name}.' },
          version: { type: 'string', description: 'Semantic version.' },
          url: { type: 'string', description: 'The ES module, under /modules/{name}/{version}/, at most 512 KiB.' },
          integrity: { type: 'string', pattern: '^sha384-[A-Za-z0-9+/]{64}$' },
          css: { type: 'string', description: 'Under /modules/{name}/{version}/, at most 128 KiB.' }, cssIntegrity: { type: 'string' },
          manifest: {
            type: 'object', required: ['name', 'route', 'title'],
            properties: {
              name: { type: 'string' },
              owner: { type: 'string', description: 'Ignored: the registry records the key’s name as the owner.' },
              route: { type: 'string', description: 'A path of this site, /segment[/segment…] (lower-case letters, digits, inner "-"), held by no other live module; "/", routes with ":" and /api, /data, /embed, /modules, /shared, /units belong to the platform (docs/MODULES.md § Publish policy).' },
              title: { type: 'object', properties: { vi: { type: 'string' }, en: { type: 'string' } } },
            },
          },
        },
      },
      IngestReply: {
        type: 'object', required: ['accepted', 'unchanged', 'rejected', 'pending'],
        properties: {
          accepted: { type: 'integer', description: 'Records stored (new, or newer than the stored copy; a tombstone counts as one).' },
          unchanged: { type: 'integer', description: 'Records identical to, or older than, the stored copy.' },
          rejected: {
            type: 'array',
            description: 'Records not stored, each with every error found at once (shape, date order, dates more than 5 minutes ahead of the server clock, ids and codes (allowed characters, no `__proto__`/`constructor`/`prototype`), unknown unit, feedback field not in the city\'s list, ward outside the key\'s scope, procedure of another unit, key scope), or `{field: "id", message: "held by unit … (outside this key\'s scope)"}` when a unit outside the key\'s scope holds the record. At most 1,000 are listed (see `omitted`).',
            items: {
              type: 'object',
              properties: {
                index: { type: 'integer' }, type: { type: ['string', 'null'], enum: ['procedure', 'dossier', 'feedback', null] }, id: { type: ['string', 'null'] },
                errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
              },
            },
          },
          pending: {
            type: 'array',
            description: 'Accepted records (counted in `accepted`) that wait for a record they refer to: a dossier whose procedure is not stored yet. It counts in the procedure-dependent rules once the procedure arrives; records may be sent in any order.',
            items: {
              type: 'object', required: ['index', 'id', 'field'],
              properties: { index: { type: 'integer' }, id: { type: 'string' }, field: { type: 'string', enum: ['procedureId'] } },
            },
          },
          omitted: {
            type: 'object',
            description: 'Only when the lists were cut short (more than 1,000 rejected or pending records; a rejection lists at most 3 KB of errors): how many were left out. Send smaller batches to see every one.',
            required: ['rejected', 'pending', 'message'],
            properties: { rejected: { type: 'integer' }, pending: { type: 'integer' }, message: { type: 'string' } },
          },
        },
      },
      StoredRecord: {
        type: 'object', required: ['record', 'writtenBy'],
        properties: {
          record: { type: 'object', description: 'The stored copy as stored (ids in NFC); a withdrawn record is its tombstone `{type, id, unitId, updatedAt, deleted: true}`.' },
          writtenBy: {
            type: ['object', 'null'], description: 'The ingest key that wrote the copy, by its id (the start of its sha256, as `npm run keys -- list` shows it) and name, and when; null for copies stored before writers were recorded.',
            properties: { keyId: { type: 'string' }, keyName: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
          },
        },
      },
    },
  },
  paths: paths(),
} as const;
