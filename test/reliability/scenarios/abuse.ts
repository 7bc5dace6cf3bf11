/**
 * Abuse: every district's own key stores its records (procedures, dossiers, 1022 feedback; ids with Vietnamese
 * letters), withdraws one and brings another back; then each district's key attacks every other district's
 * records, as issue 17 found possible: take a record over with a later or an older copy, freeze it with an
 * updatedAt in year 9999, delete it (in the victim's unit or its own), alias its id in NFD, read it, pre-claim an
 * id the victim has not sent yet, point a feedback's ward at the victim; and anyone tries prototype names where
 * ids and codes go, revoked, expired, unknown and missing keys, `?type=__proto__`, %-encoded paths (a malformed
 * escape, `/embed/..%2f`), a batch whose reply would pass Lambda's 6 MB. Ends with no 5xx, no HTML page without
 * its CSP, every server CSV with a byte-order mark and inert cells, no victim record changed by an attacker (each
 * stored as its owner last sent it, written by its owner's key or by the city's when it repaired a pre-claimed id),
 * and the published scores equal to a full recompute of what the owners sent.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { LocalStack } from '../../../local/stack.ts';
import { loadCity } from '../../../functions/src/commons/city.ts';
import { hashKey } from '../../../functions/src/services/auth.ts';
import { canonicalJson } from '../../../functions/src/domain/engine/index.ts';
import type { RecordCopy, SourceRecord, Unit } from '../../../shared-types/src/records.ts';
import { INGEST_KEY, cspWebDir, startTestStack } from '../../support/local-stack.ts';
import { verifyPublished } from '../../support/verify.ts';
import { begin, type Log, type ScenarioResult, type Sizes } from './result.ts';

export interface AbuseOptions {
  /** districts with a key of their own (the first n of the registry), each attacking all the others */
  districts: number;
  /** dossiers and feedback each district holds before the attacks (and one procedure) */
  recordsPerDistrict: number;
}

export const abuseSizes = {
  test: { districts: 3, recordsPerDistrict: 4 },
  bench: (scale: number): AbuseOptions => ({ districts: Math.min(22, Math.round(22 * scale)), recordsPerDistrict: Math.round(10 * scale) }),
} satisfies Sizes<AbuseOptions>;

/** A stack whose site has CSPs to check (the embed page and the site's index). */
export const startAbuseStack = () => startTestStack({ webDir: cspWebDir() });

const MARCH = (day: number, hour = 9) => `2024-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+07:00`;
const FAR_FUTURE = '9999-12-31T00:00:00+07:00';
const HELD = (unitId: string) => `held by unit "${unitId}" (outside this key's scope)`;
/** What the API answers: an ingest reply, a stored record, or an error. */
interface Reply {
  status: number;
  body: {
    accepted?: number; unchanged?: number; rejected?: { index: number; errors: { field: string; message: string }[] }[]; omitted?: unknown;
    record?: unknown; writtenBy?: { keyName: string } | null; error?: unknown;
  };
}

/** What each district sends of its own: a procedure, dossiers citing it and 1022 feedback about its first ward. */
function ownRecords(district: Unit, ward: Unit, count: number, field: string): SourceRecord[] {
  const procedureId = `ab-${district.id}-thủ-tục`;
  const records: SourceRecord[] = [{
    type: 'procedure', id: procedureId, unitId: ward.id, name: 'Cấp giấy phép xây dựng', onlineLevel: 'full', feeRequired: true, onlinePaymentIntegrated: true,
    resultRequired: true, citizenApplicants: true, populationDataConnected: true, announcementDueAt: MARCH(1), announcedAt: MARCH(1, 8), publicationDueAt: null,
    publishedAt: null, componentsPublished: 7, updatedAt: MARCH(1),
  }];
  for (let i = 0; i < count; i++) {
    const day = 2 + (i % 8); // every record in March, however many
    records.push({
      type: 'dossier', id: `ab-${district.id}-hồ-sơ-${i}`, unitId: ward.id, procedureId, receivedAt: MARCH(day), channel: i % 2 ? 'online' : 'in_person',
      dueAt: MARCH(day + 8), completedAt: i % 3 ? MARCH(day + 3) : null, supplementRequests: i % 3, syncedToNationalPortal: true, financialObligation: i % 2 === 0,
      paidOnline: i % 4 === 0, electronicResult: true, digitized: i % 2 === 0, reusedDigitizedData: i % 3 === 0, linkedPersonalDataStore: true,
      usesPopulationData: false, citizenComplaint: i % 5 === 4, updatedAt: MARCH(day, 10),
    });
    records.push({
      type: 'feedback', id: `ab-${district.id}-phản-ánh-${i}`, unitId: district.id, field, category: 'procedure', receivedAt: MARCH(day), dueAt: MARCH(day + 10),
      resolvedAt: i % 2 ? MARCH(day + 3) : null, likes: i % 4, dislikes: i % 2, reComplained: false, wardId: ward.id, updatedAt: MARCH(day, 11),
    });
  }
  return records;
}

export async function runAbuse(stack: Pick<LocalStack, 'url' | 'settle'>, options: AbuseOptions, log: Log = () => undefined): Promise<ScenarioResult> {
  const run = begin('abuse');
  const city = loadCity();
  const districts = city.units.filter((unit) => unit.kind === 'district').slice(0, options.districts);
  const wardOf = new Map(districts.map((d) => [d.id, city.units.find((unit) => unit.parentId === d.id && unit.kind === 'ward')!]));
  const field = city.fields[0].code;
  const keyOf = (district: Unit) => `abuse-key-${district.id}`;
  const keyName = (district: Unit) => `${district.id} system`;
  const { stores } = await import('../../../functions/src/commons/runtime.ts');
  const state = stores().state;
  for (const district of districts) await state.putKey({ hash: hashKey(keyOf(district)), name: keyName(district), scopes: [district.id] });
  await state.putKey({ hash: hashKey('abuse-revoked'), name: 'revoked', scopes: [districts[0].id], revokedAt: '2026-01-01T00:00:00.000Z' });
  await state.putKey({ hash: hashKey('abuse-expired'), name: 'expired', scopes: [districts[0].id], expiresAt: '2026-01-01T00:00:00.000Z' });

  const attacks = new Map<string, { attempts: number; refused: number }>();
  const attempt = (kind: string, refused: boolean, what: string) => {
    const tally = attacks.get(kind) ?? { attempts: 0, refused: 0 };
    tally.attempts += 1;
    if (refused) tally.refused += 1;
    else run.problem(`${kind} not refused: ${what}`);
    attacks.set(kind, tally);
  };
  const request = async (method: string, path: string, options: { key?: string | null; body?: string; contentType?: string } = {}) => {
    run.figures.requests += 1;
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
    if (options.key !== null) headers.authorization = `Bearer ${options.key ?? INGEST_KEY}`;
    const response = await fetch(`${stack.url}${path}`, { method, headers, body: options.body });
    if (response.status >= 500) {
      run.figures.status5xx += 1;
      run.problem(`${response.status} for ${method} ${path.slice(0, 120)}`);
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : {} } as Reply & { headers: Headers; text: string };
  };
  const post = (records: unknown[], key?: string | null) => {
    run.figures.sends += records.length;
    return request('POST', '/api/v1/records', { key, body: JSON.stringify(records) });
  };
  /** The record at `index` of the batch was refused with an error naming `field` and saying `message`. */
  const refusedAt = (reply: Reply, index: number, field: string, message: RegExp | string) =>
    reply.status === 200 &&
    (reply.body.rejected ?? []).some((r) => r.index === index && r.errors.some((e) => e.field === field && (typeof message === 'string' ? e.message === message : message.test(e.message))));
  /** Sends the copies with the attacker's key; each must be refused as `refused(copy, index)` says. */
  const attack = async (kind: string, key: string, copies: Record<string, unknown>[], refused: (reply: Reply, index: number) => boolean) => {
    const reply = await post(copies, key);
    copies.forEach((copy, index) => attempt(kind, refused(reply, index), String(copy.id)));
  };

  /** The copy each record must end as, and the key that wrote it: its owner's latest (or the city's repair). */
  const expected = new Map<string, { copy: RecordCopy; writer: string }>();
  const legit: RecordCopy[] = [];
  const sentBy = (copies: RecordCopy[], writer: string) => {
    legit.push(...copies);
    for (const copy of copies) {
      const known = expected.get(`${copy.type}/${copy.id}`);
      if (!known || Date.parse(copy.updatedAt) >= Date.parse(known.copy.updatedAt)) expected.set(`${copy.type}/${copy.id}`, { copy, writer });
    }
  };

  // The owners' data: what each district's own key sends, then withdraws (a tombstone) and brings back (a later copy).
  log(`abuse: ${districts.length} districts store their records`);
  const byDistrict = new Map<string, SourceRecord[]>();
  for (const district of districts) {
    const records = ownRecords(district, wardOf.get(district.id)!, options.recordsPerDistrict, field);
    byDistrict.set(district.id, records);
    const withdrawn = records.filter((r) => r.type === 'dossier').slice(0, 2).map((r) => ({ type: r.type, id: r.id, unitId: r.unitId, updatedAt: MARCH(20), deleted: true as const }));
    const back = records.filter((r) => r.type === 'dossier').slice(1, 2).map((r) => ({ ...r, updatedAt: MARCH(21) }));
    for (const batch of [records, withdrawn, back]) {
      const reply = await post(batch, keyOf(district));
      if (reply.status !== 200 || reply.body.accepted !== batch.length) run.problem(`${district.id}'s own records: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
      sentBy(batch, keyName(district));
    }
  }

  log(`abuse: ${districts.length} keys × ${districts.length - 1} victims`);
  const accepted: RecordCopy[] = []; // what an attacker was (rightly) allowed to store: pre-claims in its own unit
  for (const attacker of districts) {
    const own = wardOf.get(attacker.id)!;
    const ownProcedure = byDistrict.get(attacker.id)![0].id;
    const key = keyOf(attacker);
    for (const victim of districts.filter((d) => d.id !== attacker.id)) {
      const records = byDistrict.get(victim.id)!;
      // The procedure, a dossier withdrawn, a dossier brought back, a feedback.
      const targets = [...records.slice(0, 2), records.filter((r) => r.type === 'dossier')[1], records.find((r) => r.type === 'feedback')!];
      /** The victim's record moved into the attacker's unit (citing the attacker's own procedure: nothing else is wrong with it). */
      const inOwnUnit = (r: SourceRecord, updatedAt: string) =>
        r.type === 'feedback' ? { ...r, unitId: attacker.id, wardId: own.id, updatedAt } : r.type === 'dossier' ? { ...r, unitId: own.id, procedureId: ownProcedure, updatedAt } : { ...r, unitId: own.id, updatedAt };
      const held = (reply: Reply, i: number) => refusedAt(reply, i, 'id', HELD(targets[i].unitId));

      await attack('take over with a later copy', key, targets.map((r) => inOwnUnit(r, MARCH(25))), held);
      await attack('take over with an older copy (never unchanged)', key, targets.map((r) => inOwnUnit(r, '2024-01-01T00:00:00+07:00')), held);
      await attack('freeze with updatedAt 9999', key, targets.map((r) => inOwnUnit(r, FAR_FUTURE)), (reply, i) => refusedAt(reply, i, 'updatedAt', /ahead of the server's clock/));
      await attack('delete in the victim’s unit', key, targets.map((r) => ({ type: r.type, id: r.id, unitId: r.unitId, updatedAt: MARCH(26), deleted: true })), (reply, i) =>
        refusedAt(reply, i, 'unitId', /outside this key's scope/));
      await attack('delete from its own unit', key, targets.map((r) => ({ type: r.type, id: r.id, unitId: r.type === 'feedback' ? attacker.id : own.id, updatedAt: MARCH(26), deleted: true })), held);
      await attack('alias the id in NFD', key, targets.map((r) => ({ ...inOwnUnit(r, MARCH(27)), id: r.id.normalize('NFD') })), (reply, i) => targets[i].id.normalize('NFD') !== targets[i].id && held(reply, i));
      for (const r of targets) {
        const read = await request('GET', `/api/v1/records/${r.type}/${encodeURIComponent(r.id)}`, { key: keyOf(attacker) });
        attempt('read another district’s record', read.status === 404, r.id);
      }
      const feedback = records.find((r) => r.type === 'feedback')!;
      const aimed = { ...feedback, id: `ab-${attacker.id}-về-${victim.id}`, unitId: attacker.id, wardId: wardOf.get(victim.id)!.id };
      await attack('feedback about a ward outside its scope', key, [aimed], (reply) => refusedAt(reply, 0, 'wardId', /outside this key's scope/));

      // Pre-claim: an id the victim has not sent yet, in the attacker's own unit (allowed: ids are the city's). The
      // victim's copy is then refused naming the holder, at once, and the city's key repairs it.
      const planned = { ...records[0], id: `ab-${victim.id}-sau-${attacker.id}`, updatedAt: MARCH(22) } as SourceRecord;
      const claim = { ...planned, unitId: own.id, updatedAt: MARCH(21) };
      if ((await post([claim], key)).body.accepted === 1) accepted.push(claim);
      else run.problem(`pre-claim by ${attacker.id} not stored`);
      attempt('pre-claim an id: the owner is told who holds it', refusedAt(await post([planned], keyOf(victim)), 0, 'id', HELD(own.id)), planned.id);
      const repaired = { ...planned, updatedAt: MARCH(23) };
      if ((await post([repaired])).body.accepted !== 1) run.problem(`the city key could not repair ${planned.id}`);
      sentBy([repaired], 'local development');
    }

    // Prototype names wherever an id or a code goes.
    const base = byDistrict.get(attacker.id)!;
    const poisoned = ['__proto__', 'constructor', 'prototype'].flatMap((name) => [
      { ...base[0], id: name }, { ...base[0], id: `ab-p-${name}`, unitId: name }, { ...base[1], id: `ab-d-${name}`, procedureId: name },
      { ...base[2], id: `ab-f-${name}`, field: name }, { ...base[2], id: `ab-w-${name}`, wardId: name },
    ]);
    const fieldOf = (copy: Record<string, unknown>) => Object.keys(copy).find((name) => ['__proto__', 'constructor', 'prototype'].includes(copy[name] as string))!;
    await attack('a prototype name as an id or a code', key, poisoned, (reply, i) => refusedAt(reply, i, fieldOf(poisoned[i]), 'is a reserved name'));
  }

  // Keys that must not open anything, on both routes.
  const sample = byDistrict.get(districts[0].id)![0];
  for (const key of ['abuse-revoked', 'abuse-expired', 'not-a-key', null]) {
    attempt('write with a revoked, expired, unknown or no key', (await post([{ ...sample, updatedAt: MARCH(28) }], key)).status === 401, String(key));
    attempt('read with a revoked, expired, unknown or no key', (await request('GET', `/api/v1/records/procedure/${encodeURIComponent(sample.id)}`, { key })).status === 401, String(key));
  }

  // Requests built to break the server: prototype names in the query, %-escapes that do not decode, paths that
  // leave their folder once decoded, a batch whose every record is rejected at length.
  for (const type of ['__proto__', 'constructor', 'toString']) {
    attempt('?type= a prototype name', (await request('POST', `/api/v1/records?type=${type}`, { body: 'id\n1\n', contentType: 'text/csv' })).status === 400, type);
  }
  for (const path of ['/api/v1/units/%E0%A4%A/scores', '/api/v1/records/procedure/%E0%A4%A', '/api/v1/scores?period=%E0%A4%A', '/%E0%A4%A', '/embed/%E0%A4%A', '/api/v1/units/__proto__/scores', '/api/v1/scores?unit=constructor&period=2024-03']) {
    attempt('a malformed %-escape or a prototype name in the URL (no 5xx)', (await request('GET', path)).status < 500, path);
  }
  for (const path of ['/embed/..%2f', '/embed/..%2findex.html', '/embed/..%2F..%2Findex.html', '/embed/.%2fcsp.txt', '/embed/index.html', '/x/..%2findex.html', '/embed/%2e%2e/index.html']) {
    const response = await request('GET', path, { key: null });
    const html = (response.headers.get('content-type') ?? '').startsWith('text/html');
    attempt('a page by a %-encoded path (never without its CSP)', response.status < 500 && (!html || !!response.headers.get('content-security-policy')), path);
  }
  const broken = Array.from({ length: 10_000 }, (_, i) => ({ type: 'dossier', id: `ab-x${i}`, unitId: `nowhere-${'u'.repeat(150)}`, channel: 'fax', [`${'k'.repeat(150)}${i}`]: 1 }));
  const big = await post(broken, keyOf(districts[0]));
  attempt('a reply past Lambda’s 6 MB', big.status === 200 && Buffer.byteLength(big.text) < 6 * 1024 * 1024 && !!big.body.omitted, `${Buffer.byteLength(big.text)} bytes`);

  log('abuse: settling');
  await stack.settle();

  // The CSVs the server writes: a byte-order mark, and no cell a spreadsheet would run.
  for (const path of ['/api/v1/scores?period=2024-03&format=csv', '/data/scores/2024-03.csv', '/api/v1/feedback?period=2024-03&format=csv', '/data/feedback/2024-03.csv']) {
    run.figures.requests += 1;
    const response = await fetch(`${stack.url}${path}`);
    const bytes = Buffer.from(await response.arrayBuffer()); // as bytes: text() would drop the byte-order mark
    const cells = response.ok ? (parseCsv(bytes, { bom: true }) as string[][]).flat() : [];
    const inert = cells.length > 0 && cells.every((cell) => !/^[=+@\t\r]/.test(cell) && !/^-[^\d]/.test(cell));
    attempt('a server CSV (BOM first, no formula cell)', bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) && inert, path);
  }

  // Records changed by an attacker: each record must be stored as its owner last sent it, written by its owner's key
  // (or the city's, for the pre-claimed ids it repaired).
  let changed = 0;
  for (const [path, { copy, writer }] of expected) {
    const stored = await request('GET', `/api/v1/records/${path.split('/')[0]}/${encodeURIComponent(copy.id)}`);
    const same = stored.status === 200 && canonicalJson(stored.body.record) === canonicalJson(copy) && stored.body.writtenBy?.keyName === writer;
    run.figures.records += 1;
    if (!same) {
      changed += 1;
      run.problem(`${path} is not as its owner sent it: ${JSON.stringify(stored.body).slice(0, 300)}`);
    }
  }
  run.figures.invalidStored = changed;
  run.verdict(await verifyPublished({ url: stack.url, sent: [...legit, ...accepted], from: '2024-03', to: '2024-03' }));

  const totals = [...attacks.values()].reduce((sum, tally) => ({ attempts: sum.attempts + tally.attempts, refused: sum.refused + tally.refused }), { attempts: 0, refused: 0 });
  run.figures.detail = {
    'district keys': districts.length,
    attempts: totals.attempts,
    refused: totals.refused,
    'records changed by an attacker': changed,
    ...Object.fromEntries([...attacks].map(([kind, tally]) => [kind, `${tally.refused.toLocaleString('en')}/${tally.attempts.toLocaleString('en')} refused`])),
  };
  return run.end();
}
