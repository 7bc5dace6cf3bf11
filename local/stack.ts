/**
 * The whole product on one machine: DynamoDB Local, the real handlers behind one HTTP origin,
 * a stream poller feeding the aggregate handler, and a timer running score then publish.
 * `npm start` runs it; the integration and browser tests start it in-process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { env, readConfig } from '../functions/src/config.ts';
import { ensureTables, localTableNames, startDynamo, type LocalDynamo } from './dynamodb.ts';
import { apiEvent, decodedPath, gatewayRoute, invokeHttp, lambdaContext, readBody } from './api-gateway.ts';
import { pollStream, type StreamPoller } from './stream-poller.ts';
import { embedRoute } from '../embed/routing.ts';
import { previewPageOf } from '../functions/src/services/social/share.ts';
import { MODULE_ASSET_CSP, MODULE_ASSET_TYPES, PREVIEW, previewPageKey, selectPreview } from '../functions/src/domain/modules/rules.ts';
import { FsBlobStore } from '../functions/src/store/blobs/fs-blob-store.ts';
import { SiteBuildMissing, renderLiveSite, type RenderSiteDeps } from '../functions/src/services/render-site.ts';

export interface LocalStackOptions {
  port?: number;
  /** Where DynamoDB Local keeps its files and the publisher its snapshots; none = in memory + a temp folder. */
  dataDir: string;
  persistent?: boolean;
  reset?: boolean;
  /** Folder of the built web app (shell, modules, shared runtime). */
  webDir?: string;
  /** Milliseconds between score+publish runs. */
  tickMs?: number;
  ingestKey?: string;
  /** Pause between polls of an idle stream, in ms (default 200). */
  streamIdleMs?: number;
  log?: (line: string) => void;
}

export interface LocalStack {
  url: string;
  endpoint: string;
  /** Runs the stream poller dry and score+publish until nothing is pending. */
  settle(): Promise<void>;
  /** True once any record was ever accepted (the demo data loads only into an empty stack). */
  hasRecords(): Promise<boolean>;
  /**
   * Stops the pipeline (the stream poller, score+publish) and keeps serving the site, its data and the API: a page's
   * benchmark then measures the page as a CDN serves it, not the pipeline sharing the machine's cores.
   */
  pause(): Promise<void>;
  stop(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json',
  '.xml': 'application/atom+xml; charset=utf-8', // the publisher's only XML: the Atom feeds under /data/feeds/
};

/** API Gateway's own payload limit; the ingest handler states its lower one. */
const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  if (options.reset) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const publicDir = join(dataDir, 'public');
  const webDir = resolve(options.webDir ?? 'dist/web');

  const dynamo: LocalDynamo = await startDynamo(options.persistent ? { dir: join(dataDir, 'dynamodb') } : {});
  await ensureTables(dynamo.endpoint);
  const tables = localTableNames();
  // The stack's configuration, as a function's environment: the handlers get the runtime built from it, and tools
  // and tests in this process (stores(), npm run keys) find the stack's tables through it, as they would on AWS.
  Object.assign(process.env, {
    [env.dynamodbEndpoint]: dynamo.endpoint,
    [env.recordsTable]: tables.records,
    [env.stateTable]: tables.state,
    [env.publicDir]: publicDir,
    [env.webDir]: webDir,
    // DynamoDB Local updates its indexes synchronously: nothing to wait for.
    // One process scores and publishes here, so a lease outlives its holder only when the stack was killed:
    // short, so a restarted stack goes on within seconds (runs renew it as they go).
    [env.leaseTtlMs]: process.env[env.leaseTtlMs] ?? '15000',
    [env.logLevel]: process.env[env.logLevel] ?? 'WARN',
    [env.metricsDisabled]: 'true',
    POWERTOOLS_DEV: 'true', // Powertools' own: readable logs
  });
  delete process.env[env.publicBucket];

  // The same composition root as a Lambda function's.
  const { runtimeOf } = await import('../functions/src/commons/runtime.ts');
  const runtime = runtimeOf(readConfig(process.env));
  const [ingest, read, registry, card, aggregate, score, publish, auth] = await Promise.all([
    import('../functions/src/handlers/ingest-records.ts'),
    import('../functions/src/handlers/read-api.ts'),
    import('../functions/src/handlers/module-registry.ts'),
    import('../functions/src/handlers/social-card.ts'),
    import('../functions/src/handlers/aggregate-stream.ts'),
    import('../functions/src/handlers/score-dirty.ts'),
    import('../functions/src/handlers/publish-snapshots.ts'),
    import('../functions/src/services/auth.ts'),
  ]);
  const apiFunctions = {
    'ingest-records': ingest.ingestRecordsHandler(runtime),
    'read-api': read.readApiHandler(runtime),
    'module-registry': registry.moduleRegistryHandler(runtime),
    'social-card': card.socialCardHandler(runtime),
  };
  const aggregateStream = aggregate.aggregateStreamHandler(runtime);
  const scoreDirty = score.scoreDirtyHandler(runtime);
  const publishSnapshots = publish.publishSnapshotsHandler(runtime);
  const root = runtime.city().units.find((unit) => unit.parentId === null)!;
  await runtime.state().putKey({ hash: auth.hashKey(options.ingestKey ?? 'dev-ingest-key'), name: 'local development', scopes: [root.id], modules: ['*'] });

  // The page from the registry as it stands, as a deploy renders it (the SitePage custom resource): a
  // rebuilt shell is live at once, even over a page the registry wrote before the build changed.
  await renderPage(publicDir, webDir, runtime.state(), runtime.config.importMapOverrides, log);

  const poller: StreamPoller = pollStream({
    endpoint: dynamo.endpoint,
    table: tables.records,
    checkpointFile: join(dataDir, 'stream-checkpoints.json'),
    handle: (event) => aggregateStream(event, lambdaContext('aggregate-stream')),
    onError: (error) => log(`stream poller: ${(error as Error).message}`),
    idleMs: options.streamIdleMs,
  });

  let ticking: Promise<void> = Promise.resolve();
  const tick = () =>
    (ticking = ticking.then(async () => {
      try {
        await scoreDirty({}, lambdaContext('score-dirty'));
        await publishSnapshots({}, lambdaContext('publish-snapshots'));
      } catch (error) {
        log(`score/publish: ${(error as Error).stack}`);
      }
    }));
  const timer = setInterval(tick, options.tickMs ?? 1_000);
  let halted: Promise<void> | undefined;
  /** no more polls, scores or publishes (once: pause, then stop) */
  const haltPipeline = () => (halted ??= (async () => {
    clearInterval(timer);
    await poller.stop();
    await ticking;
  })());

  const server = createServer((request, response) => {
    route(request, response).catch((error) => {
      log(`request ${request.url}: ${(error as Error).stack}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'internal', message: 'Internal error' } }));
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = decodedPath(url.pathname);
    if (path === null) {
      response.writeHead(400, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ error: { code: 'bad_request', message: 'The path has a malformed %-escape, or dot segments once decoded.' } }));
    }
    if (path.startsWith('/api/')) {
      const body = await readBody(request, GATEWAY_BODY_LIMIT);
      if (body === 'too_large') {
        response.writeHead(413, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ error: { code: 'too_large', message: `Body exceeds ${GATEWAY_BODY_LIMIT} bytes.` } }));
      }
      // As API Gateway routes: by the route table's paths, every method to the path's function.
      const route = gatewayRoute(url.pathname);
      if (!route) return notFound(response, `No such endpoint: ${url.pathname}. See /api/v1/openapi.json.`);
      return invokeHttp(apiFunctions[route.fn], route.fn, request, response, body, `ANY ${route.path}`);
    }
    if (path.startsWith('/data/')) return serveFile(response, [publicDir], path, 'public, max-age=60, stale-while-revalidate=300');
    // The site: what the module registry published (public folder) over what the build produced (dist/web),
    // as CloudFront serves the bucket. The registry's files change in place: revalidate them.
    const site = [publicDir, webDir];
    // /embed/<chart>: the embed page with its own CSP (frameable), the helper script, hashed assets
    const embed = embedRoute(path);
    if (embed) return serveFile(response, site, embed.file, embed.cacheControl, embed.page ? await csp(site.map((root) => join(root, 'embed'))) : {});
    if (path === '/importmap.json' || path === '/modules.json') return serveFile(response, site, path, 'no-cache');
    if (path.startsWith('/modules/')) return serveModuleAsset(response, site, path);
    if (path.startsWith(`/${PREVIEW.prefix}`)) return notFound(response, 'A preview is seen through its link, /?preview=<token>.'); // never a page without its CSP
    if (path === '/' || path === '/index.html' || !extname(path)) {
      // a preview link (?preview=<token>, then its cookie) selects the site rendered with a version not yet live, as CloudFront's functions do
      const preview = selectPreview(url.searchParams.get(PREVIEW.param), request.headers.cookie, { secure: false });
      if (preview.setCookie) response.setHeader('set-cookie', preview.setCookie);
      if (preview.token && existsSync(join(publicDir, previewPageKey(preview.token)))) {
        return serveFile(response, [publicDir], `/${previewPageKey(preview.token)}`, 'no-cache', await csp([join(publicDir, previewPageKey(preview.token), '..')]));
      }
      // a link-preview robot gets the view's social preview page, as CloudFront's function answers it (security-headers.ts)
      const shared = previewPageOf(url.pathname, { period: url.searchParams.get('period') ?? '', lang: url.searchParams.get('lang') ?? '' }, request.headers['user-agent'] ?? '');
      if (shared) return serveFile(response, [publicDir], decodeURIComponent(shared), 'public, max-age=60, stale-while-revalidate=300');
      return serveFile(response, site, '/index.html', 'no-cache', await csp(site));
    }
    return serveFile(response, site, path, 'public, max-age=31536000, immutable');
  }

  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tick();

  return {
    url,
    endpoint: dynamo.endpoint,
    async settle() {
      for (let round = 0; round < 600; round++) {
        await poller.drain();
        await tick();
        const status = await apiFunctions['read-api'](apiEvent({ method: 'GET', url: '/api/v1/status' }), lambdaContext('read-api'));
        if (JSON.parse((status as { body: string }).body).pending === 0) return;
      }
      throw new Error('The local stack did not settle');
    },
    async hasRecords() {
      const { ScanCommand } = await import('@aws-sdk/client-dynamodb');
      const { dynamoClient } = await import('../functions/src/store/dynamodb/client.ts');
      const reply = await dynamoClient(runtime.config.dynamodb).send(new ScanCommand({ TableName: tables.records, Limit: 1, ProjectionExpression: 'pk' }));
      return (reply.Count ?? 0) > 0;
    },
    pause: haltPipeline,
    async stop() {
      await new Promise<void>((closed) => server.close(() => closed()));
      server.closeAllConnections();
      await haltPipeline();
      await dynamo.stop();
    },
  };
}

/**
 * Renders index.html, the import map, modules.json and csp.txt into the public folder (which the server
 * serves over the build), from the build's base and the registry. Without a build there is nothing to render.
 */
async function renderPage(publicDir: string, webDir: string, state: RenderSiteDeps['state'], overrides: RenderSiteDeps['overrides'], log: (line: string) => void) {
  const published = new FsBlobStore(publicDir);
  const build = new FsBlobStore(webDir);
  // The dev variant (import-map-overrides) when the registry renders it too (handlers/module-registry.ts, docs/MODULES.md).
  try {
    await renderLiveSite({ state, blobs: published, site: { get: async (path) => (await published.get(path)) ?? build.get(path) }, overrides });
  } catch (error) {
    if (!(error instanceof SiteBuildMissing)) throw error;
    log(`site page not rendered: ${error.message}`);
  }
}

/** The CSP that matches the page's inline import map, written beside index.html by whoever wrote the page. */
async function csp(roots: string[]): Promise<Record<string, string>> {
  const file = roots.map((root) => join(root, 'csp.txt')).find((candidate) => existsSync(candidate));
  return file ? { 'content-security-policy': (await readFile(file, 'utf8')).trim() } : {};
}

/** A team's files: an allow-listed type by extension, never sniffed, under a sandboxing CSP (even a 404). */
async function serveModuleAsset(response: ServerResponse, roots: string[], path: string) {
  const contentType = MODULE_ASSET_TYPES[extname(path)];
  const headers = { 'content-security-policy': MODULE_ASSET_CSP };
  if (!contentType) {
    return notFound(response, `Only ${Object.keys(MODULE_ASSET_TYPES).join(', ')} files are served under /modules/: ${path}`, headers);
  }
  return serveFile(response, roots, path, 'public, max-age=31536000, immutable', { ...headers, 'content-type': contentType });
}

function notFound(response: ServerResponse, message: string, headers: Record<string, string> = {}) {
  response.writeHead(404, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', ...headers });
  response.end(JSON.stringify({ error: { code: 'not_found', message } }));
}

async function serveFile(response: ServerResponse, roots: string[], path: string, cacheControl: string, extra: Record<string, string> = {}) {
  const full = roots.map((root) => resolve(join(root, path))).find((candidate) => roots.some((root) => candidate.startsWith(root + '/')) && existsSync(candidate) && statSync(candidate).isFile());
  if (!full) {
    const { 'content-type': _, ...headers } = extra;
    return notFound(response, `Not found: ${path}`, headers);
  }
  const body = await readFile(full);
  response.writeHead(200, {
    'content-type': contentTypes[extname(full)] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    // The site refuses framing; embeds are made to be framed.
    ...(path.startsWith('/embed') ? {} : { 'x-frame-options': 'DENY' }),
    ...extra,
  });
  response.end(body);
}
