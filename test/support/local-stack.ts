/** Starts the real local stack (DynamoDB Local + handlers + poller) for a test file, in memory. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import type { Unit } from '../../shared-types/src/records.ts';
import { writeTestCity } from './test-city.ts';

export const INGEST_KEY = 'test-ingest-key';

/** `dataDir`: where the stack keeps its files (its public folder is `<dataDir>/public`); `webDir`: the site build. */
export async function startTestStack(options: { units?: Unit[]; tickMs?: number; dataDir?: string; webDir?: string } = {}): Promise<LocalStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bando-test-'));
  // a city of these units (its own folder, loaded as any city is): CITY names it for the handlers and scripts
  if (options.units) process.env.CITY = writeTestCity(options.units, { dir: join(dataDir, 'city') });
  return startLocalStack({ dataDir, webDir: options.webDir, ingestKey: INGEST_KEY, tickMs: options.tickMs ?? 500, log: (line) => console.error(line) });
}

/** A site build of two pages and their CSPs (the site's and the embed's), for the checks that every HTML page carries its CSP. */
export function cspWebDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bando-web-csp-'));
  mkdirSync(join(dir, 'embed'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>site</title>');
  writeFileSync(join(dir, 'csp.txt'), "default-src 'self'");
  writeFileSync(join(dir, 'embed/index.html'), '<!doctype html><title>embed</title>');
  writeFileSync(join(dir, 'embed/csp.txt'), "default-src 'self'; frame-ancestors *");
  return dir;
}

export async function postRecords(stack: LocalStack, body: string, options: { contentType?: string; key?: string | null; query?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? INGEST_KEY}`;
  const response = await fetch(`${stack.url}/api/v1/records${options.query ?? ''}`, { method: 'POST', headers, body });
  return { status: response.status, body: await response.json() };
}

export async function getJson(stack: LocalStack, path: string) {
  const response = await fetch(`${stack.url}${path}`);
  return { status: response.status, body: await response.json() };
}
