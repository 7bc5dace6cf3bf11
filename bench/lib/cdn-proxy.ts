import { createHash } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';

/**
 * What CloudFront does in front of S3 for the Lighthouse bench (the local stack serves files
 * uncompressed): forwards to `target` and gzips text responses for clients that accept it, keeping
 * each compressed body (by URL and content) as a CDN's cache does. Compressing at level 9 on every
 * request, on the 2 cores that also run the page, lengthened the tasks Lighthouse observes.
 */
export async function cdnProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const compressed = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    const upstream = request(target + req.url, { method: req.method, headers: { ...req.headers, 'accept-encoding': 'identity' } }, (up) => {
      const compress = /^(text\/|application\/(json|javascript)|image\/svg)/.test(up.headers['content-type'] ?? '')
        && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      if (!compress) { res.writeHead(up.statusCode ?? 502, up.headers); up.pipe(res); return; }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        const key = `${req.url}\n${createHash('sha256').update(body).digest('base64')}`;
        const gz = compressed.get(key) ?? gzipSync(body, { level: 9 });
        compressed.set(key, gz);
        res.writeHead(up.statusCode ?? 502, { ...up.headers, 'content-encoding': 'gzip', vary: 'accept-encoding', 'content-length': String(gz.length) });
        res.end(gz);
      });
    });
    upstream.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
    req.pipe(upstream);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((closed) => { server.closeAllConnections(); server.close(() => closed()); }),
  };
}
