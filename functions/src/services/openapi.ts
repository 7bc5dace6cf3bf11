/** The public API, documented. Kept beside the routes it describes; a test checks every route is here. */
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
  paths: {
    '/api/v1/records': {
      post: {
        summary: 'Send records (JSON array, NDJSON, or CSV with ?type=), in any order. Safe to retry: the copy with the latest updatedAt wins. A tombstone `{type, id, unitId, updatedAt, deleted: true}` (no other field) withdraws a record: it counts nowhere until a still later full copy brings it back. A key replaces or deletes only records its scope holds (a city-scoped key any record). Ids and codes are taken in Unicode NFC.',
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
    },
    '/api/v1/records/{type}/{id}': {
      get: {
        summary: 'The stored copy of one record and the key that wrote it. A scoped key sees only records its scope holds (any other is 404).',
        security: [{ ingestKey: [] }],
        parameters: [
          { name: 'type', in: 'path', required: true, schema: { type: 'string', enum: ['dossier', 'procedure', 'feedback'] } },
          { name: 'id', in: 'path', required: true, description: 'The record id, %-encoded (it may hold `/`).', schema: { type: 'string' } },
        ],
        responses: { 200: { description: 'The stored copy', content: { 'application/json': { schema: { $ref: '#/components/schemas/StoredRecord' } } } }, 401: error, 404: error },
      },
    },
    '/api/v1/status': { get: { summary: 'pending is 0 when every accepted record is reflected in scores and snapshots (dirty notes and queued periods, each counted up to 1,000); awaitingProcedure counts stored dossiers whose procedure has not arrived (as of the last scoring run).', responses: { 200: ok('{pending, lastScoredAt, awaitingProcedure}') } } },
    '/api/v1/units': {
      get: {
        summary: 'The units of a period: those of the registries in force during it, each with its registry, validFrom/validTo, official code, predecessors, successors, and `retired: true` when it ceased during the period. Without `period`: the units in force now.',
        parameters: [periodParam('period', false)],
        responses: { 200: ok('{period, units}'), 400: error },
      },
    },
    '/api/v1/scores': {
      get: {
        summary: 'Scores of every unit for a period, with every indicator’s n, d, ratio, points; groups; total; band; rank. Without `period`: the last complete month. An ongoing period is judged at asOf and marked `provisional: true`.',
        parameters: [periodParam('period', false), { name: 'unit', in: 'query', required: false, schema: { type: 'string' } }, { name: 'peerGroup', in: 'query', required: false, schema: { type: 'string' } }, formatParam],
        responses: { 200: ok('{period, method, asOf, provisional, scores}', true), 400: error, 404: error, 503: error },
      },
    },
    '/api/v1/units/{id}/scores': {
      get: {
        summary: 'A unit’s score history: every period within [from, to], at most 60 months (400 past that). Without them: the last 60 months up to the current one.',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, periodParam('from', false), periodParam('to', false)],
        responses: { 200: ok('{unitId, method, scores}'), 400: error, 404: error },
      },
    },
    '/api/v1/feedback': {
      get: {
        summary: 'The 1022 view: per field and per handling unit, received, resolved, on time, overdue, open (openNotDue: not yet due; openOverdue: past due), on-time and satisfaction rates. Without `period`: the last complete month.',
        parameters: [periodParam('period', false), { name: 'unit', in: 'query', required: false, schema: { type: 'string' } }, formatParam],
        responses: { 200: ok('{period, asOf, provisional, total, byField, byUnit}', true), 400: error, 404: error },
      },
    },
    '/api/v1/method': { get: { summary: 'The method table in force.', responses: { 200: ok('MethodTable') } } },
    '/api/v1/openapi.json': { get: { summary: 'This document.', responses: { 200: ok('OpenAPI 3.1') } } },
    '/api/v1/modules': {
      get: { summary: 'The live import map and every module’s current version (micro-frontend registry).', responses: { 200: ok('{revision, updatedAt, importMap, modules}'), 503: error } },
    },
    '/api/v1/modules/{name}/versions': {
      get: {
        summary: 'Every version of a module ever published, oldest first, and the current one.',
        parameters: [moduleParam],
        responses: { 200: ok('{name, current, versions}'), 404: error },
      },
      post: {
        summary: 'Publish a version and make it live (a retired module comes back). The key must be scoped to the module; url/css under /modules/{name}/{version}/, their bytes uploaded to /modules/_staging/{name}/{version}/ (the registry copies them into the version folder only when it accepts the publish), within their size limits (413), matching their sha384 SRI; the route must be the module’s to take (403 a platform route, 409 another module’s). Versions are immutable: the identical version again is a no-op (200), other files under the same version are refused (409).',
        security: [{ moduleKey: [] }],
        parameters: [moduleParam],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ModuleVersion' } } } },
        responses: { 201: ok('{created: true, revision, version}'), 200: ok('{created: false, revision, version}'), 400: error, 401: error, 403: error, 404: error, 409: error, 413: error },
      },
    },
    '/api/v1/modules/{name}/check': {
      post: {
        summary: 'Would this version be published? Every rule of the publish but the files (key, shape, route, immutability), so a deploy uploads nothing a publish would refuse.',
        security: [{ moduleKey: [] }],
        parameters: [moduleParam],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ModuleVersion' } } } },
        responses: { 200: ok('{ok: true, uploaded, prefix}'), 400: error, 401: error, 403: error, 404: error, 409: error },
      },
    },
    '/api/v1/modules/{name}/preview': {
      post: {
        summary: 'Preview before live: the same rules and files as a publish; the version is recorded (history) but not made current, and the site as it would be with it is rendered at a preview link, /?preview={token} (then a cookie; ?preview=off leaves it). Publishing the same version later makes it current.',
        security: [{ moduleKey: [] }],
        parameters: [moduleParam],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ModuleVersion' } } } },
        responses: { 201: ok('{created, token, link, version}'), 400: error, 401: error, 403: error, 404: error, 409: error, 413: error },
      },
    },
    '/api/v1/modules/{name}/errors': {
      post: {
        summary: 'A page reports that a module failed (the kit\'s beacon, no key): {version, kind} with kind one of bootstrap, mount, update, unmount, render. Counted per module, version, kind and city day, at most 5,000 a module a day (then counted: false); 404 for a module not live.',
        parameters: [moduleParam],
        responses: { 202: ok('{counted}'), 400: error, 404: error },
      },
      get: {
        summary: 'The module\'s error counts of the last 30 days, by day, version and kind (its team key).',
        security: [{ moduleKey: [] }],
        parameters: [moduleParam],
        responses: { 200: ok('{name, since, days: [{day, total, byVersion, capped}]}'), 401: error, 403: error, 404: error },
      },
    },
    '/api/v1/modules/{name}/retire': {
      post: {
        summary: 'Take a module out of the import map, the navigation and index.html. Its history is kept; publishing or rolling back makes it live again.',
        security: [{ moduleKey: [] }],
        parameters: [moduleParam],
        responses: { 200: ok('{revision, name, retired: {at, by}}'), 401: error, 403: error, 404: error },
      },
    },
    '/api/v1/modules/{name}/rollback': {
      post: {
        summary: 'Make a previously published version live again.',
        security: [{ moduleKey: [] }],
        parameters: [moduleParam],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['version'], properties: { version: { type: 'string' } } } } } },
        responses: { 200: ok('{revision, version}'), 400: error, 401: error, 403: error, 404: error },
      },
    },
  },
} as const;
