import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Headers of HTTP/1.1 connections, which HTTP/2 responses must not carry. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/**
 * What CloudFront does in front of S3, for the Lighthouse bench (the local stack serves files
 * uncompressed over HTTP/1.1): HTTPS with HTTP/2, so the page's modules share one connection as
 * they do from the CDN (Lighthouse's simulation queues HTTP/1.1 requests six connections at a
 * time); gzip for text responses, each compressed body kept (by URL and content) as the CDN's
 * cache does: compressing at level 9 on every request, on the 2 cores that also run the page,
 * lengthened the tasks Lighthouse observes. `tls`: a certificate for 127.0.0.1 (self-signed: the
 * bench's Chromium runs with --ignore-certificate-errors).
 */
export async function cdnProxy(target: string, tls: { key: string; cert: string }): Promise<{ url: string; close(): Promise<void> }> {
  const compressed = new Map<string, Buffer>();
  const forward = (req: Http2ServerRequest, res: Http2ServerResponse) => {
    const headers: IncomingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!k.startsWith(':')) headers[k] = v as string;
    const upstream = request(target + req.url, { method: req.method, headers: { ...headers, 'accept-encoding': 'identity' } }, (up) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(up.headers)) if (v != null && !HOP_BY_HOP.has(k)) out[k] = v;
      const compress = /^(text\/|application\/(json|javascript)|image\/svg)/.test(up.headers['content-type'] ?? '')
        && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      if (!compress) { res.writeHead(up.statusCode ?? 502, out); up.pipe(res); return; }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        const key = `${req.url}\n${createHash('sha256').update(body).digest('base64')}`;
        const gz = compressed.get(key) ?? gzipSync(body, { level: 9 });
        compressed.set(key, gz);
        res.writeHead(up.statusCode ?? 502, { ...out, 'content-encoding': 'gzip', vary: 'accept-encoding', 'content-length': String(gz.length) });
        res.end(gz);
      });
    });
    upstream.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
    req.pipe(upstream);
  };
  const server = createSecureServer({ ...tls, allowHTTP1: true }, forward);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}

/** A self-signed certificate for 127.0.0.1 (the openssl command line), for cdnProxy. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'itmap-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
