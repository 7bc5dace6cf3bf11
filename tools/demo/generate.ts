/**
 * Deterministic demo data: procedures, dossiers and 1022 feedback for a unit registry, shaped
 * like Ho Chi Minh City's published figures (~740 fully online services among ~1,900
 * procedures, 18 feedback fields, a 2023 feedback on-time rate of about 99.55%).
 *
 * Same options → same records, in the same order, on every machine: every random draw comes
 * from a small seeded PRNG (mulberry32) keyed by (seed, unit, month, stream), so one unit's
 * records do not depend on how many records another unit got. The output is the state of the
 * source systems as of `asOf` (default: the end of the `to` month, or the start of today when
 * that is earlier, so the current month never gets records dated in the future; the output is
 * then stable for a day): nothing is received after it, dossiers and feedback still open then
 * have `completedAt`/`resolvedAt` null.
 *
 * Order of the stream: every procedure first, then month by month the dossiers (unit by unit)
 * and the feedback of that month, so the records can be ingested in the order they come.
 *
 * Also the load generator of the benchmarks: `scale` multiplies dossier and feedback volumes.
 */
import type { Dossier, Feedback, OnlineLevel, Procedure, SourceRecord, Unit } from '../../shared-types/src/records.ts';
import type { Registry } from '../../functions/src/domain/structure/structure.ts';
import { CITY_UTC_OFFSET_MINUTES, monthIdOf, monthIndexStart } from '../../shared-types/src/periods.ts';
import { loadCity } from '../../functions/src/commons/city.ts';

export interface DemoProgress {
  /** records yielded so far */
  done: number;
  /** records the run will yield in all (known before the first record) */
  total: number;
  procedures: number;
  dossiers: number;
  feedback: number;
}

export interface DemoOptions {
  /**
   * The city's registries over time: each month is generated for the registry in force then, and at each change
   * the open dossiers and feedback of units that ceased move to a successor (a later copy with the new unit).
   * Or one registry's units for every month.
   */
  units: readonly Unit[] | readonly Registry[];
  /** first month, `YYYY-MM` */
  from: string;
  /** last month, `YYYY-MM` (inclusive) */
  to: string;
  seed: number | string;
  /**
   * multiplies dossier and feedback volumes (default 1: roughly 4,000 dossiers a month, × a registry's `demoVolume`: HCMC
   * after its merger, 5,600); HCMC's real volume, about 450 k dossiers a month after the merger, is scale 80
   */
  scale?: number;
  /** the moment the data describes (epoch ms or ISO 8601); default: the end of `to` or the start of today, whichever is earlier */
  asOf?: number | string;
  /** the clock, for the default `asOf` (default: Date.now()) */
  now?: number;
  /** feedback field codes (default: config/fields/hcmc-1022.json) */
  fields?: readonly string[];
  /** registries: the month the volume trend and the units' quality drift start from (default: `from`) */
  trendFrom?: string;
  /** multiplies volumes (a registry's own `demoVolume`, e.g. a city grown by a merger) */
  volume?: number;
  /** called every `progressEvery` records and once at the end */
  onProgress?: (p: DemoProgress) => void;
  progressEvery?: number;
}

export interface DemoPlan {
  procedures: number;
  dossiers: number;
  feedback: number;
  total: number;
}

// ------------------------------------------------------------------------------------------
// Randomness
// ------------------------------------------------------------------------------------------

/** 32-bit string hash (FNV-1a with a final avalanche). */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export type Rng = () => number;

/** mulberry32: a tiny, fast PRNG with a 32-bit state; returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rngFor(seed: number | string, ...parts: (string | number)[]): Rng {
  return mulberry32(hash32(`${seed}|${parts.join('|')}`));
}

const between = (r: Rng, lo: number, hi: number) => lo + (hi - lo) * r();
const lerp = (lo: number, hi: number, q: number) => lo + (hi - lo) * q;
const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Poisson draw (Knuth below 30, normal approximation above). */
function poisson(r: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = r();
    while (p > limit) {
      k++;
      p *= r();
    }
    return k;
  }
  const g = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * g));
}

function pickWeighted(r: Rng, cumulative: Float64Array): number {
  const x = r() * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulate(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
}

// ------------------------------------------------------------------------------------------
// Time
// ------------------------------------------------------------------------------------------

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365.25 * DAY;
const OFFSET_MS = CITY_UTC_OFFSET_MINUTES * 60_000;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

function monthIndex(id: string, name: string): number {
  const m = MONTH_RE.exec(id);
  if (!m) throw new Error(`${name} must be a month YYYY-MM, got "${id}"`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

const dayPrefixes = new Map<number, string>();
const two = (n: number) => (n < 10 ? '0' + n : String(n));

/** ISO 8601 in the city's offset, whole seconds: 2024-03-05T08:30:00+07:00 (the hot path: day prefixes cached). */
function iso(ms: number): string {
  const local = Math.floor((ms + OFFSET_MS) / 1000);
  const day = Math.floor(local / 86_400);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const s = local - day * 86_400;
  return `${prefix}${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}+07:00`;
}

/** Local midnight of the day containing `ms`. */
function dayStart(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY) * DAY - OFFSET_MS;
}

/** A moment in office hours (07:30–17:00, Monday–Saturday) within the month. */
function officeMoment(r: Rng, monthStart: number, days: number): number {
  let day = Math.floor(r() * days);
  const weekday = (Math.floor((monthStart + OFFSET_MS) / DAY) + day + 4) % 7; // 0 = Sunday
  if (weekday === 0) day = day + 1 < days ? day + 1 : day - 1;
  return monthStart + day * DAY + 7.5 * HOUR + Math.floor(r() * 9.5 * HOUR);
}

// ------------------------------------------------------------------------------------------
// Catalogue (the procedures of each unit)
// ------------------------------------------------------------------------------------------

interface CatalogueEntry {
  code: string;
  name: string;
  onlineLevel: OnlineLevel;
  feeRequired: boolean;
  resultRequired: boolean;
  citizenApplicants: boolean;
  /** statutory time limit in working days */
  limitDays: number;
  popularity: number;
}

/** Department catalogue sizes by a keyword of the unit id (HCMC 2024 ≈ 1,600 in all). */
const DEPARTMENT_SIZES: [string, number][] = [
  ['nong-nghiep-moi-truong', 200], ['y-te', 155], ['tu-phap', 135], ['cong-thuong', 135], ['giao-thong', 117],
  ['lao-dong', 117], ['ke-hoach', 108], ['nong-nghiep', 108], ['tai-nguyen', 99], ['xay-dung', 81], ['giao-duc', 81],
  ['van-hoa', 76], ['noi-vu', 63], ['khu-che-xuat', 63], ['khoa-hoc', 54], ['thong-tin', 40], ['tai-chinh', 40],
  ['cong-nghe-cao', 40], ['du-lich', 27], ['an-toan-thuc-pham', 22], ['quy-hoach', 18], ['ngoai-vu', 9],
  ['thanh-tra', 7], ['dan-toc', 5], ['vp-ubnd', 5],
];
const DEFAULT_DEPARTMENT_SIZE = 36;
const DISTRICT_CATALOGUE_SIZE = 200;
const WARD_CATALOGUE_SIZE = 100;

const WARD_PROCEDURES = [
  'Chứng thực bản sao từ bản chính giấy tờ, văn bản', 'Chứng thực chữ ký trong các giấy tờ, văn bản', 'Đăng ký khai sinh',
  'Đăng ký kết hôn', 'Đăng ký khai tử', 'Cấp bản sao trích lục hộ tịch', 'Cấp Giấy xác nhận tình trạng hôn nhân',
  'Đăng ký nhận cha, mẹ, con', 'Đăng ký giám hộ', 'Thay đổi, cải chính, bổ sung thông tin hộ tịch', 'Đăng ký lại khai sinh',
  'Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
  'Liên thông đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất', 'Chứng thực hợp đồng, giao dịch liên quan đến động sản',
  'Chứng thực di chúc', 'Chứng thực văn bản thỏa thuận phân chia di sản', 'Hòa giải tranh chấp đất đai',
  'Xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình', 'Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm',
  'Trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội', 'Đăng ký hoạt động tín ngưỡng', 'Xác nhận thông tin hộ tịch',
];
const DISTRICT_PROCEDURES = [
  'Cấp giấy phép xây dựng nhà ở riêng lẻ', 'Đăng ký thành lập hộ kinh doanh', 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh',
  'Tạm ngừng, chấm dứt hoạt động hộ kinh doanh', 'Cấp Giấy chứng nhận quyền sử dụng đất lần đầu', 'Đăng ký biến động quyền sử dụng đất',
  'Tách thửa, hợp thửa đất', 'Chuyển mục đích sử dụng đất', 'Cấp bản sao có chứng thực từ bản chính giấy tờ tiếng nước ngoài',
  'Đăng ký kết hôn có yếu tố nước ngoài', 'Đăng ký khai sinh có yếu tố nước ngoài', 'Cấp Giấy phép bán lẻ rượu',
  'Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', 'Cấp Giấy phép kinh doanh dịch vụ karaoke',
  'Cho phép thành lập trường mầm non tư thục', 'Xác nhận đăng ký kế hoạch bảo vệ môi trường', 'Cấp giấy phép sửa chữa, cải tạo nhà ở',
  'Giải quyết tranh chấp đất đai', 'Thẩm định, phê duyệt phương án bồi thường, hỗ trợ, tái định cư', 'Đăng ký hợp tác xã',
];
const DEPARTMENT_PROCEDURES: [string, string[]][] = [
  ['tu-phap', ['Cấp Phiếu lý lịch tư pháp', 'Cấp Phiếu lý lịch tư pháp trực tuyến qua VNeID', 'Đăng ký hoạt động văn phòng công chứng', 'Cấp thẻ đấu giá viên']],
  ['y-te', ['Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh', 'Cấp giấy phép hoạt động phòng khám', 'Cấp giấy chứng nhận đủ điều kiện kinh doanh dược', 'Cấp chứng chỉ hành nghề dược']],
  ['giao-thong', ['Đổi giấy phép lái xe do ngành Giao thông vận tải cấp', 'Cấp giấy phép lái xe quốc tế', 'Cấp phù hiệu xe kinh doanh vận tải', 'Cấp giấy phép thi công trên đường bộ đang khai thác']],
  ['ke-hoach', ['Đăng ký thành lập doanh nghiệp', 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp', 'Cấp Giấy chứng nhận đăng ký đầu tư', 'Thông báo tạm ngừng kinh doanh']],
  ['tai-nguyen', ['Cấp giấy phép khai thác nước dưới đất', 'Cấp giấy phép môi trường', 'Đăng ký biến động đất đai của tổ chức', 'Cung cấp thông tin dữ liệu đất đai']],
  ['nong-nghiep-moi-truong', ['Cấp giấy phép môi trường', 'Cung cấp thông tin dữ liệu đất đai', 'Cấp chứng chỉ hành nghề thú y', 'Cấp giấy chứng nhận cơ sở an toàn dịch bệnh động vật']],
  ['xay-dung', ['Cấp giấy phép xây dựng công trình', 'Cấp chứng chỉ hành nghề hoạt động xây dựng', 'Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng', 'Cấp giấy phép lái xe (sau hợp nhất ngành giao thông)']],
  ['cong-thuong', ['Cấp Giấy phép kinh doanh bán lẻ', 'Cấp giấy phép sản xuất rượu công nghiệp', 'Đăng ký hoạt động khuyến mại', 'Cấp Giấy chứng nhận đủ điều kiện kinh doanh LPG']],
  ['lao-dong', ['Cấp giấy phép lao động cho người lao động nước ngoài', 'Giải quyết hưởng trợ cấp thất nghiệp', 'Cấp giấy phép hoạt động dịch vụ việc làm', 'Đăng ký nội quy lao động']],
  ['giao-duc', ['Cấp bản sao văn bằng, chứng chỉ từ sổ gốc', 'Chỉnh sửa nội dung văn bằng, chứng chỉ', 'Cho phép trung tâm ngoại ngữ hoạt động giáo dục', 'Công nhận văn bằng do cơ sở nước ngoài cấp']],
  ['noi-vu', ['Thành lập hội', 'Công nhận ban vận động thành lập hội', 'Xét tặng danh hiệu thi đua', 'Thẩm định thành lập đơn vị sự nghiệp công lập']],
];

function departmentSize(unitId: string): number {
  for (const [key, size] of DEPARTMENT_SIZES) if (unitId.includes(key)) return size;
  return DEFAULT_DEPARTMENT_SIZE;
}

function departmentDomain(unit: Unit): string {
  return unit.name.vi.replace(/^(Sở|Ban Quản lý|Ban)\s+/u, '');
}

/** Share of fully online procedures by level: 0.36 · 1,600 + 0.45 · 200 + 0.7 · 100 ≈ 740. */
const FULL_SHARE = { department: 0.36, district: 0.45, ward: 0.7 } as const;

function makeCatalogue(
  seed: number | string,
  key: string,
  codePrefix: string,
  level: 'department' | 'district' | 'ward',
  size: number,
  realNames: readonly string[],
  fillName: (n: number) => string,
): CatalogueEntry[] {
  const r = rngFor(seed, 'catalogue', key);
  const limits = level === 'ward' ? [1, 1, 2, 3, 3, 5, 5, 7] : level === 'district' ? [3, 5, 7, 10, 10, 15, 15, 20, 30] : [5, 7, 10, 10, 15, 15, 20, 30, 30, 45];
  // exactly round(size × share) full-online entries, at deterministic positions
  const fullCount = Math.round(size * FULL_SHARE[level]);
  const order = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const isFull = new Uint8Array(size);
  for (let i = 0; i < fullCount; i++) isFull[order[i]] = 1;
  const entries: CatalogueEntry[] = [];
  for (let i = 0; i < size; i++) {
    const onlineLevel: OnlineLevel = isFull[i] ? 'full' : r() < 0.65 ? 'partial' : 'none';
    entries.push({
      code: `${codePrefix}-${String(i + 1).padStart(3, '0')}`,
      name: i < realNames.length ? realNames[i] : fillName(i + 1),
      onlineLevel,
      feeRequired: r() < (level === 'ward' ? 0.2 : level === 'district' ? 0.35 : 0.4),
      resultRequired: r() < 0.88,
      citizenApplicants: r() < (level === 'ward' ? 0.95 : level === 'district' ? 0.8 : 0.5),
      limitDays: limits[Math.floor(r() * limits.length)],
      // a few procedures carry most of the volume (Zipf-like), real ones first
      popularity: 1 / Math.pow(i + 1, 0.9),
    });
  }
  return entries;
}

// ------------------------------------------------------------------------------------------
// Unit profiles: quality level and trend
// ------------------------------------------------------------------------------------------

interface Profile {
  /** quality in [0, 1] at `from` (0 ≈ a weak unit scoring < 50, 1 ≈ a unit scoring ~99) */
  q0: number;
  /** change of quality per year */
  slope: number;
}

function ownProfile(seed: number | string, unitId: string): Profile {
  const r = rngFor(seed, 'profile', unitId);
  const u = r();
  const q0 = u < 0.12 ? between(r, 0.88, 1) : u < 0.19 ? between(r, 0, 0.06) : u < 0.32 ? between(r, 0.14, 0.45) : between(r, 0.46, 0.86);
  const t = r();
  const slope = t < 0.35 ? between(r, 0.03, 0.1) : t < 0.55 ? between(r, -0.08, -0.02) : between(r, -0.01, 0.01);
  return { q0, slope };
}

// ------------------------------------------------------------------------------------------
// Feedback fields: mix, handling level, time limits
// ------------------------------------------------------------------------------------------

interface FieldTraits {
  weight: number;
  /** share handled by a department (when one matches `departments`) */
  departmentShare: number;
  departments: string[];
  dueDays: number;
}

const FIELD_TRAITS: Record<string, FieldTraits> = {
  'urban-order': { weight: 18, departmentShare: 0.05, departments: ['xay-dung', 'quy-hoach'], dueDays: 7 },
  environment: { weight: 14, departmentShare: 0.12, departments: ['tai-nguyen', 'moi-truong'], dueDays: 10 },
  traffic: { weight: 10, departmentShare: 0.3, departments: ['giao-thong', 'xay-dung'], dueDays: 10 },
  construction: { weight: 9, departmentShare: 0.1, departments: ['xay-dung'], dueDays: 15 },
  'public-security': { weight: 7, departmentShare: 0, departments: [], dueDays: 5 },
  drainage: { weight: 6, departmentShare: 0.3, departments: ['xay-dung'], dueDays: 10 },
  land: { weight: 6, departmentShare: 0.15, departments: ['tai-nguyen', 'nong-nghiep-moi-truong'], dueDays: 20 },
  electricity: { weight: 4, departmentShare: 0.5, departments: ['cong-thuong'], dueDays: 3 },
  'water-supply': { weight: 4, departmentShare: 0.4, departments: ['xay-dung'], dueDays: 3 },
  health: { weight: 4, departmentShare: 0.6, departments: ['y-te'], dueDays: 10 },
  education: { weight: 3, departmentShare: 0.5, departments: ['giao-duc'], dueDays: 10 },
  'labour-social': { weight: 3, departmentShare: 0.3, departments: ['lao-dong', 'noi-vu'], dueDays: 10 },
  'administrative-procedures': { weight: 3, departmentShare: 0.3, departments: ['tu-phap', 'ke-hoach', 'tai-chinh', 'noi-vu'], dueDays: 15 },
  'food-safety': { weight: 2, departmentShare: 0.4, departments: ['an-toan-thuc-pham', 'y-te'], dueDays: 7 },
  'culture-tourism': { weight: 2, departmentShare: 0.3, departments: ['van-hoa', 'du-lich'], dueDays: 10 },
  trade: { weight: 2, departmentShare: 0.3, departments: ['cong-thuong'], dueDays: 10 },
  'public-service-conduct': { weight: 1, departmentShare: 0.2, departments: ['noi-vu', 'thanh-tra'], dueDays: 10 },
  other: { weight: 2, departmentShare: 0.1, departments: [], dueDays: 10 },
};
const DEFAULT_TRAITS: FieldTraits = { weight: 2, departmentShare: 0.1, departments: [], dueDays: 10 };

/** City-wide share of feedback handled late in a month: 2023 falls from 0.7% to 0.2% (0.45% for the year), later ~0.25%. */
function feedbackLateBase(monthIdx: number): number {
  const m2023 = 2023 * 12;
  if (monthIdx < m2023) return 0.03;
  if (monthIdx < m2023 + 12) return 0.007 - (0.005 * (monthIdx - m2023)) / 11;
  return 0.0025;
}

// ------------------------------------------------------------------------------------------
// The generator
// ------------------------------------------------------------------------------------------

/** Dossiers a month at scale 1 in January 2023, before seasonality and growth. */
const DOSSIERS_PER_MONTH = 4000;
const FEEDBACK_PER_MONTH = 1100;

interface UnitState {
  unit: Unit;
  profile: Profile;
  procedures: { id: string; entry: CatalogueEntry; onlinePaymentIntegrated: boolean; populationDataConnected: boolean }[];
  procCumulative: Float64Array;
  dossierWeight: number;
  /** child wards (for districts) */
  wards: Unit[];
}

function volumeFactor(monthIdx: number, startIdx: number): number {
  const month = monthIdx % 12;
  const season = month === 1 ? 0.72 : month === 0 ? 0.93 : month === 11 ? 1.06 : 1;
  return season * (1 + (0.07 * (monthIdx - startIdx)) / 12);
}

interface Setup {
  states: UnitState[];
  months: number[];
  asOf: number;
  startMs: number;
  dossierCounts: Map<string, number>; // `${monthIdx}|${unitId}` → count
  feedbackCounts: Map<number, number>;
  plan: DemoPlan;
}

function setUp(opts: DemoOptions & { units: readonly Unit[] }): Setup {
  const { units, seed } = opts;
  const scale = (opts.scale ?? 1) * (opts.volume ?? 1);
  if (!(scale > 0)) throw new Error('scale must be a positive number');
  const fromIdx = monthIndex(opts.from, 'from');
  const toIdx = monthIndex(opts.to, 'to');
  if (toIdx < fromIdx) throw new Error(`to (${opts.to}) is before from (${opts.from})`);
  const trendIdx = opts.trendFrom ? monthIndex(opts.trendFrom, 'trendFrom') : fromIdx;
  const startMs = monthIndexStart(trendIdx);
  const endMs = monthIndexStart(toIdx + 1);
  const now = opts.now ?? Date.now();
  const asOf = defaultAsOf({ ...opts, now });
  if (asOf <= monthIndexStart(fromIdx)) throw new Error('asOf must be after the start of `from`');

  const byUnit = new Map(units.map((u) => [u.id, u]));
  const hasDistricts = units.some((u) => u.kind === 'district');
  const profiles = new Map<string, Profile>();
  const profileOf = (u: Unit): Profile => {
    let p = profiles.get(u.id);
    if (p) return p;
    p = ownProfile(seed, u.id);
    const parent = u.kind === 'ward' && u.parentId ? byUnit.get(u.parentId) : undefined;
    if (parent && parent.kind === 'district') {
      const pp = profileOf(parent);
      p = { q0: 0.8 * p.q0 + 0.2 * pp.q0, slope: 0.8 * p.slope + 0.2 * pp.slope };
    }
    profiles.set(u.id, p);
    return p;
  };

  // shared catalogues of districts and wards; a registry without districts (two-level
  // government) gives its wards and communes the district catalogue as well
  const districtCat = makeCatalogue(seed, 'district', 'qh', 'district', DISTRICT_CATALOGUE_SIZE, DISTRICT_PROCEDURES, (n) => `Thủ tục hành chính cấp huyện số ${n}`);
  const wardCat = makeCatalogue(seed, 'ward', 'px', 'ward', WARD_CATALOGUE_SIZE, WARD_PROCEDURES, (n) => `Thủ tục hành chính cấp xã số ${n}`);
  const wardCatalogue = hasDistricts ? wardCat : [...wardCat, ...districtCat];

  const wardsOf = new Map<string, Unit[]>();
  for (const u of units) if (u.kind === 'ward' && u.parentId) (wardsOf.get(u.parentId) ?? wardsOf.set(u.parentId, []).get(u.parentId)!).push(u);

  const states: UnitState[] = [];
  for (const unit of units) {
    if (unit.kind === 'city') continue;
    let catalogue: CatalogueEntry[];
    let weight: number;
    const rural = unit.peerGroup.includes('rural');
    if (unit.kind === 'department') {
      const real = DEPARTMENT_PROCEDURES.find(([k]) => unit.id.includes(k))?.[1] ?? [];
      const domain = departmentDomain(unit);
      const size = departmentSize(unit.id);
      catalogue = makeCatalogue(seed, unit.id, 'sn', 'department', size, real, (n) => `Thủ tục lĩnh vực ${domain} số ${n}`);
      weight = 0.6 + (1.4 * size) / 100;
    } else if (unit.kind === 'district') {
      catalogue = districtCat;
      const wardCount = wardsOf.get(unit.id)?.length ?? 10;
      weight = (rural ? 1.1 : 1.3) * Math.sqrt(wardCount / 12);
    } else {
      catalogue = wardCatalogue;
      weight = (rural ? 0.1 : 0.12) * (hasDistricts ? 1 : 3.5);
    }
    const profile = profileOf(unit);
    const r = rngFor(seed, 'procedures', unit.id);
    const q = profile.q0;
    const procedures = catalogue.map((entry) => {
      const onlinePaymentIntegrated = entry.feeRequired && r() < lerp(0.35, 1, q);
      const populationDataConnected = r() < (entry.citizenApplicants ? lerp(0.3, 1, q) : lerp(0.15, 0.95, q));
      return { id: `tt-${unit.id}-${entry.code}`, entry, onlinePaymentIntegrated, populationDataConnected };
    });
    states.push({
      unit,
      profile,
      procedures,
      procCumulative: cumulate(catalogue.map((e) => e.popularity)),
      dossierWeight: weight * between(r, 0.75, 1.25),
      wards: wardsOf.get(unit.id) ?? [],
    });
  }

  const months: number[] = [];
  for (let m = fromIdx; m <= toIdx && monthIndexStart(m) < asOf; m++) months.push(m);

  const totalWeight = states.reduce((s, st) => s + st.dossierWeight, 0);
  const dossierCounts = new Map<string, number>();
  const feedbackCounts = new Map<number, number>();
  let dossiers = 0;
  let feedback = 0;
  for (const m of months) {
    const ms = monthIndexStart(m);
    const me = monthIndexStart(m + 1);
    const part = Math.min(1, (asOf - ms) / (me - ms)); // a month cut by asOf gets its share
    const f = volumeFactor(m, trendIdx) * scale * part;
    for (const st of states) {
      const n = poisson(rngFor(seed, 'count', st.unit.id, m), (DOSSIERS_PER_MONTH * f * st.dossierWeight) / totalWeight);
      if (n > 0) dossierCounts.set(`${m}|${st.unit.id}`, n);
      dossiers += n;
    }
    const nf = states.length ? poisson(rngFor(seed, 'feedback-count', m), FEEDBACK_PER_MONTH * f) : 0;
    feedbackCounts.set(m, nf);
    feedback += nf;
  }
  const procedures = states.reduce((s, st) => s + st.procedures.length, 0);
  return {
    states,
    months,
    asOf,
    startMs,
    dossierCounts,
    feedbackCounts,
    plan: { procedures, dossiers, feedback, total: procedures + dossiers + feedback },
  };
}

/** How many records `generateDemoData` will yield with these options (cheap: no record is built; moves at a change of registry not counted). */
export function planDemoData(opts: DemoOptions): DemoPlan {
  const plans = segmentsOf(opts).map((segment) => setUp(segment).plan);
  const sum = (key: keyof DemoPlan) => plans.reduce((total, plan) => total + plan[key], 0);
  return { procedures: sum('procedures'), dossiers: sum('dossiers'), feedback: sum('feedback'), total: sum('total') };
}

/** One run of the generator per registry, over the months it is in force (all months for a plain list of units). */
function segmentsOf(opts: DemoOptions): (DemoOptions & { units: readonly Unit[]; registryEndMs: number })[] {
  if (opts.units.length === 0 || !('units' in opts.units[0])) return [{ ...opts, units: opts.units as readonly Unit[], registryEndMs: Infinity }];
  const fromIdx = monthIndex(opts.from, 'from');
  const toIdx = monthIndex(opts.to, 'to');
  const overallAsOf = defaultAsOf(opts);
  return [...(opts.units as readonly Registry[])]
    .sort((a, b) => ((a.validFrom ?? '') < (b.validFrom ?? '') ? -1 : 1))
    .flatMap((registry) => {
      // registries change on the first of a month (HCMC: 1 July 2025); a registry holds for the months it starts in
      const first = registry.validFrom === null ? fromIdx : Math.max(fromIdx, monthIndex(registry.validFrom.slice(0, 7), 'validFrom'));
      const last = registry.validTo === null ? toIdx : Math.min(toIdx, monthIndex(registry.validTo.slice(0, 7), 'validTo'));
      if (last < first || monthIndexStart(first) >= overallAsOf) return [];
      const registryEndMs = monthIndexStart(last + 1);
      return [{ ...opts, units: registry.units, from: monthIdOf(first), to: monthIdOf(last), trendFrom: opts.from, asOf: Math.min(overallAsOf, registryEndMs), volume: (opts.volume ?? 1) * (registry.demoVolume ?? 1), registryEndMs }];
    });
}

function defaultAsOf(opts: DemoOptions): number {
  const endMs = monthIndexStart(monthIndex(opts.to, 'to') + 1);
  if (opts.asOf === undefined) return Math.min(endMs, dayStart(opts.now ?? Date.now()));
  const t = typeof opts.asOf === 'number' ? opts.asOf : Date.parse(opts.asOf);
  if (Number.isNaN(t)) throw new Error(`asOf is not a date: ${opts.asOf}`);
  return Math.min(endMs, t);
}

function qualityAt(p: Profile, t: number, startMs: number): number {
  return clamp01(p.q0 + (p.slope * (t - startMs)) / YEAR);
}

function makeProcedure(seed: number | string, st: UnitState, i: number, startMs: number, asOf: number): Procedure {
  const { id, entry, onlinePaymentIntegrated, populationDataConnected } = st.procedures[i];
  const r = rngFor(seed, 'procedure', id);
  // the catalogue is revised continually: each procedure is due for announcement once in the range
  const latestDue = Math.max(startMs + DAY, asOf - 6 * DAY);
  const announcementDue = dayStart(startMs + r() * (latestDue - startMs)) + 17 * HOUR;
  const q = qualityAt(st.profile, announcementDue, startMs);
  const announced = r() < lerp(0.5, 1, q) ? announcementDue - Math.floor(r() * 4) * DAY - 2 * HOUR : announcementDue + (1 + Math.floor(r() * 15)) * DAY;
  const publicationDue = announcementDue + 5 * DAY;
  const published = r() < lerp(0.5, 1, q) ? publicationDue - Math.floor(r() * 4) * DAY - 3 * HOUR : publicationDue + (1 + Math.floor(r() * 20)) * DAY;
  const announcedAt = announced <= asOf && r() > 0.01 ? announced : null;
  const publishedAt = published <= asOf && r() > 0.01 ? published : null;
  const created = announcementDue - (5 + Math.floor(r() * 35)) * DAY;
  const updated = Math.min(asOf, Math.max(created, announcedAt ?? 0, publishedAt ?? 0));
  return {
    type: 'procedure',
    id,
    unitId: st.unit.id,
    name: entry.name,
    onlineLevel: entry.onlineLevel,
    feeRequired: entry.feeRequired,
    onlinePaymentIntegrated,
    resultRequired: entry.resultRequired,
    citizenApplicants: entry.citizenApplicants,
    populationDataConnected,
    announcementDueAt: iso(announcementDue),
    announcedAt: announcedAt === null ? null : iso(announcedAt),
    publicationDueAt: iso(publicationDue),
    publishedAt: publishedAt === null ? null : iso(publishedAt),
    componentsPublished: r() < lerp(0.4, 1, q) ? 7 : 3 + Math.floor(r() * 4),
    updatedAt: iso(updated),
  };
}

function* dossiersOf(seed: number | string, st: UnitState, m: number, n: number, startMs: number, asOf: number): Generator<Dossier> {
  const r = rngFor(seed, 'dossiers', st.unit.id, m);
  const ms = monthIndexStart(m);
  const days = Math.min(Math.round((monthIndexStart(m + 1) - ms) / DAY), Math.ceil((asOf - ms) / DAY));
  const q = qualityAt(st.profile, ms + 15 * DAY, startMs);
  const pOnTime = 1 - 0.45 * Math.pow(1 - q, 1.6) - 0.003 * q;
  const pOnline = lerp(0.08, 0.97, q);
  const pSync = lerp(0.4, 1, q);
  const pPay = lerp(0.1, 0.97, q);
  const pResult = lerp(0.15, 0.995, q);
  const pDigitized = lerp(0.1, 0.99, q);
  const pReuse = lerp(0.05, 0.92, q);
  const pLinked = lerp(0.08, 0.97, q);
  const pPopulation = lerp(0.15, 0.99, q);
  const pComplaint = lerp(0.03, 0.002, q);
  const prefix = `hs-${st.unit.id}-${monthIdOf(m).replace('-', '')}-`;
  for (let k = 0; k < n; k++) {
    const proc = st.procedures[pickWeighted(r, st.procCumulative)];
    const e = proc.entry;
    let received = officeMoment(r, ms, days);
    if (received >= asOf) received = asOf - 1000 - Math.floor(r() * Math.min(DAY, asOf - ms - 1000));
    // supplement requests extend the promised date by the time the applicant took
    const s = r();
    const supplementRequests = s < 0.09 ? 1 : s < 0.09 + lerp(0.03, 0.004, q) ? 2 + (r() < 0.2 ? 1 : 0) : 0;
    let supplementDays = 0;
    for (let i = 0; i < supplementRequests; i++) supplementDays += 2 + Math.floor(r() * 9);
    const due = dayStart(received + Math.ceil(e.limitDays * 1.4 + supplementDays) * DAY) + 17 * HOUR;
    const onTime = supplementRequests <= 1 && r() < pOnTime;
    const finish = onTime
      ? received + Math.max(HOUR, (due - received) * (0.1 + 0.9 * Math.pow(r(), 1.5)))
      : due + HOUR + Math.floor(-Math.log(1 - r()) * 5 * DAY);
    const completed = finish <= asOf ? finish : null;
    const channel = e.onlineLevel === 'full'
      ? (r() < pOnline ? 'online' : 'in_person')
      : e.onlineLevel === 'partial'
        ? (r() < pOnline * 0.5 ? 'online' : r() < 0.04 ? 'postal' : 'in_person')
        : (r() < 0.05 ? 'postal' : 'in_person');
    const financialObligation = e.feeRequired && r() < 0.92;
    const paidOnline = financialObligation && proc.onlinePaymentIntegrated && r() < (channel === 'online' ? pPay : pPay * 0.85);
    const late = !onTime;
    yield {
      type: 'dossier',
      id: prefix + String(k + 1).padStart(5, '0'),
      unitId: st.unit.id,
      procedureId: proc.id,
      receivedAt: iso(received),
      channel,
      dueAt: iso(due),
      completedAt: completed === null ? null : iso(completed),
      supplementRequests,
      syncedToNationalPortal: r() < pSync,
      financialObligation,
      paidOnline,
      electronicResult: completed !== null && e.resultRequired && r() < pResult,
      digitized: r() < pDigitized,
      reusedDigitizedData: r() < pReuse,
      linkedPersonalDataStore: r() < pLinked,
      usesPopulationData: proc.populationDataConnected && r() < pPopulation,
      citizenComplaint: r() < (late ? pComplaint + 0.12 : pComplaint),
      updatedAt: iso(completed ?? received),
    };
  }
}

interface FeedbackContext {
  fields: readonly string[];
  fieldCumulative: Float64Array;
  fieldDepartments: Map<string, UnitState[]>;
  wards: UnitState[];
  wardCumulative: Float64Array;
  districts: UnitState[];
  districtCumulative: Float64Array;
  departments: UnitState[];
  allWards: Unit[];
  /** per month: the mean lateness factor over handling units, to hit the city-wide base rate */
  lateNorm: Map<number, number>;
}

const lateFactor = (q: number) => 0.25 + 2.2 * (1 - q) * (1 - q);

function feedbackContext(setup: Setup, fields: readonly string[]): FeedbackContext {
  const { states, months, startMs } = setup;
  const wards = states.filter((s) => s.unit.kind === 'ward');
  const districts = states.filter((s) => s.unit.kind === 'district');
  const departments = states.filter((s) => s.unit.kind === 'department');
  const wardW = wards.map((s) => (s.unit.peerGroup.includes('rural') ? 0.8 : 1.2));
  const districtW = districts.map((s) => Math.sqrt(Math.max(1, s.wards.length)));
  const fieldDepartments = new Map<string, UnitState[]>();
  for (const f of fields) {
    const t = FIELD_TRAITS[f] ?? DEFAULT_TRAITS;
    fieldDepartments.set(f, departments.filter((d) => t.departments.some((k) => d.unit.id.includes(k))));
  }
  const all = [...wards, ...districts, ...departments];
  const lateNorm = new Map<number, number>();
  for (const m of months) {
    const t = monthIndexStart(m) + 15 * DAY;
    const mean = (xs: UnitState[]) => (xs.length ? xs.reduce((s, x) => s + lateFactor(qualityAt(x.profile, t, startMs)), 0) / xs.length : 0);
    lateNorm.set(m, all.length ? 0.6 * mean(wards.length ? wards : all) + 0.2 * mean(districts.length ? districts : all) + 0.2 * mean(departments.length ? departments : all) : 1);
  }
  return {
    fields,
    fieldCumulative: cumulate(fields.map((f) => (FIELD_TRAITS[f] ?? DEFAULT_TRAITS).weight)),
    fieldDepartments,
    wards,
    wardCumulative: cumulate(wardW),
    districts,
    districtCumulative: cumulate(districtW),
    departments,
    allWards: wards.map((s) => s.unit),
    lateNorm,
  };
}

function* feedbackOf(seed: number | string, setup: Setup, ctx: FeedbackContext, m: number, n: number): Generator<Feedback> {
  const { asOf, startMs } = setup;
  const r = rngFor(seed, 'feedback', m);
  const ms = monthIndexStart(m);
  const days = Math.min(Math.round((monthIndexStart(m + 1) - ms) / DAY), Math.ceil((asOf - ms) / DAY));
  const base = feedbackLateBase(m) / (ctx.lateNorm.get(m) || 1);
  const prefix = `pa-${monthIdOf(m).replace('-', '')}-`;
  for (let k = 0; k < n; k++) {
    const field = ctx.fields[pickWeighted(r, ctx.fieldCumulative)];
    const traits = FIELD_TRAITS[field] ?? DEFAULT_TRAITS;
    // the handling unit: a matching department, else the district or the ward where it happened
    const deps = ctx.fieldDepartments.get(field) ?? [];
    let handler: UnitState;
    let wardId: string | null;
    if ((deps.length && r() < traits.departmentShare) || (!ctx.wards.length && !ctx.districts.length)) {
      handler = deps.length ? deps[Math.floor(r() * deps.length)] : ctx.departments[Math.floor(r() * ctx.departments.length)];
      wardId = ctx.allWards.length && r() < 0.6 ? ctx.allWards[Math.floor(r() * ctx.allWards.length)].id : null;
    } else if (ctx.districts.length && (r() < 0.27 || !ctx.wards.length)) {
      handler = ctx.districts[pickWeighted(r, ctx.districtCumulative)];
      wardId = handler.wards.length ? handler.wards[Math.floor(r() * handler.wards.length)].id : null;
    } else {
      handler = ctx.wards[pickWeighted(r, ctx.wardCumulative)];
      wardId = handler.unit.id;
    }
    // phản ánh arrive around the clock (hotline and app), a little more in the daytime
    let received = ms + Math.floor(r() * days) * DAY + Math.floor((6 + r() * 16) * HOUR);
    if (received >= asOf) received = asOf - 1000 - Math.floor(r() * Math.min(DAY, asOf - ms - 1000));
    const due = received + traits.dueDays * DAY;
    const q = qualityAt(handler.profile, received, startMs);
    const late = r() < base * lateFactor(q);
    const finish = late
      ? due + HOUR + Math.floor(-Math.log(1 - r()) * 6 * DAY)
      : received + Math.max(HOUR, Math.floor((due - received) * Math.pow(r(), 2)));
    const resolved = finish <= asOf ? finish : null;
    let likes = 0;
    let dislikes = 0;
    if (resolved !== null && r() < 0.35) {
      if (r() < (late ? 0.55 : lerp(0.14, 0.03, q))) dislikes = 1 + (r() < 0.15 ? 1 : 0);
      else likes = 1 + (r() < 0.2 ? 1 + Math.floor(r() * 3) : 0);
    }
    const reComplained = resolved !== null && r() < 0.002 + (dislikes > 0 ? 0.06 : 0) + (late ? 0.05 : 0);
    const category = field === 'administrative-procedures' ? 'procedure' : field === 'public-service-conduct' ? 'conduct' : (field === 'land' || field === 'construction') && r() < 0.08 ? 'procedure' : 'other';
    const rated = resolved === null ? received : Math.min(asOf, resolved + (likes + dislikes > 0 ? Math.floor(r() * 3 * DAY) : 0));
    yield {
      type: 'feedback',
      id: prefix + String(k + 1).padStart(6, '0'),
      unitId: handler.unit.id,
      field,
      category,
      receivedAt: iso(received),
      dueAt: iso(due),
      resolvedAt: resolved === null ? null : iso(resolved),
      likes,
      dislikes,
      reComplained,
      wardId,
      updatedAt: iso(rated),
    };
  }
}

/**
 * Yields the demo records: all procedures, then month by month the dossiers and feedback; with registries, one
 * registry after another, and at each change the moves of open records to successors.
 * `Array.from(generateDemoData(opts))` collects them; the CLI streams them as NDJSON.
 */
export function* generateDemoData(opts: DemoOptions): Generator<SourceRecord, DemoPlan> {
  const segments = segmentsOf(opts);
  const plan = planDemoData(opts);
  const progress = { done: 0, total: plan.total, procedures: 0, dossiers: 0, feedback: 0 };
  const emitted = new Set<string>(); // units whose catalogue is out: a unit that lives on keeps its procedures
  const onProgress = (p: DemoProgress) => opts.onProgress?.({ ...p, done: progress.done + p.done, total: progress.total, procedures: progress.procedures + p.procedures, dossiers: progress.dossiers + p.dossiers, feedback: progress.feedback + p.feedback });
  for (const [i, segment] of segments.entries()) {
    const next = segments[i + 1];
    const open: (Dossier | Feedback)[] = [];
    const ceased = next ? new Set(segment.units.map((u) => u.id).filter((id) => !next.units.some((u) => u.id === id))) : new Set<string>();
    const part = generateRegistry({ ...segment, onProgress: opts.onProgress ? onProgress : undefined }, emitted);
    let result = part.next();
    while (!result.done) {
      const record = result.value;
      if (record.type !== 'procedure' && ceased.has(record.unitId) && (record.type === 'dossier' ? record.completedAt : record.resolvedAt) === null) open.push(record);
      yield record;
      result = part.next();
    }
    for (const key of ['done', 'procedures', 'dossiers', 'feedback'] as const) progress[key] += result.value[key === 'done' ? 'total' : key];
    for (const unit of segment.units) emitted.add(unit.id);
    if (next && segment.asOf === segment.registryEndMs) {
      for (const moved of movedAtChange(opts.seed, open, segment.units, next.units, segment.registryEndMs, defaultAsOf(opts))) {
        yield moved;
        progress.done++;
        progress.total++;
      }
    }
  }
  opts.onProgress?.({ ...progress });
  return { ...plan, total: progress.total };
}

/**
 * At a change of registry, the open dossiers and feedback of units that ceased move to a successor: a later copy with
 * the successor's id (and its own procedure of the same catalogue entry), sent on the day of the change; some are
 * finished later. A unit without a successor in the data (a department merged into another) hands over to a ward that
 * took over one of its wards, or, for a department, finishes its open work on the day of the change.
 */
function* movedAtChange(seed: number | string, open: readonly (Dossier | Feedback)[], previous: readonly Unit[], next: readonly Unit[], changeMs: number, asOf: number): Generator<Dossier | Feedback> {
  const successors = new Map<string, Unit[]>();
  for (const unit of next) for (const { id } of unit.predecessors ?? []) successors.set(id, [...(successors.get(id) ?? []), unit]);
  const inNext = new Set(next.map((u) => u.id));
  for (const record of open) {
    const r = rngFor(seed, 'moved', record.type, record.id);
    let choices = successors.get(record.unitId) ?? [];
    if (choices.length === 0) {
      // a district's own work goes to a successor of one of its wards (two-level government: no district level)
      const wardIds = previous.filter((u) => u.parentId === record.unitId && successors.has(u.id)).map((u) => u.id);
      choices = wardIds.length > 0 ? successors.get(wardIds[Math.floor(r() * wardIds.length)])! : [];
    }
    const moved = changeMs + 8 * HOUR + Math.floor(r() * 8 * HOUR);
    if (moved >= asOf) continue;
    const target = choices.length > 0 ? choices[Math.floor(r() * choices.length)] : undefined;
    const due = Date.parse(record.dueAt);
    const finishing = due + Math.floor((r() - 0.8) * 4 * DAY);
    const finished = Math.max(moved + HOUR, finishing) < asOf ? Math.max(moved + HOUR, finishing) : null;
    if (!target || !inNext.has(target.id)) {
      // no successor: finished where it was on the day of the change
      if (record.type === 'dossier') yield { ...record, completedAt: iso(moved), updatedAt: iso(moved) };
      else yield { ...record, resolvedAt: iso(moved), updatedAt: iso(moved) };
      continue;
    }
    if (record.type === 'dossier') {
      const code = record.procedureId.slice(`tt-${record.unitId}-`.length);
      yield { ...record, unitId: target.id, procedureId: `tt-${target.id}-${code}`, completedAt: finished === null ? null : iso(finished), updatedAt: iso(finished ?? moved) };
    } else {
      yield { ...record, unitId: target.id, resolvedAt: finished === null ? null : iso(finished), updatedAt: iso(finished ?? moved) };
    }
  }
}

/** The records of one registry's months (`emitted`: units whose procedures an earlier registry already yielded). */
function* generateRegistry(opts: DemoOptions & { units: readonly Unit[] }, emitted: ReadonlySet<string> = new Set()): Generator<SourceRecord, DemoPlan> {
  const setup = setUp(opts);
  const { seed } = opts;
  const fields = opts.fields ?? loadCity().fields.map((f) => f.code);
  if (!fields.length) throw new Error('fields must not be empty');
  const ctx = feedbackContext(setup, fields);
  const { plan, states, months, asOf, startMs } = setup;
  const every = Math.max(1, opts.progressEvery ?? 10_000);
  const progress = { done: 0, total: plan.total, procedures: 0, dossiers: 0, feedback: 0 };
  const tick = (kind: 'procedures' | 'dossiers' | 'feedback') => {
    progress.done++;
    progress[kind]++;
    if (opts.onProgress && progress.done % every === 0) opts.onProgress({ ...progress });
  };

  for (const st of states) {
    if (emitted.has(st.unit.id)) continue;
    for (let i = 0; i < st.procedures.length; i++) {
      yield makeProcedure(seed, st, i, startMs, asOf);
      tick('procedures');
    }
  }
  for (const m of months) {
    for (const st of states) {
      const n = setup.dossierCounts.get(`${m}|${st.unit.id}`) ?? 0;
      if (n === 0) continue;
      for (const d of dossiersOf(seed, st, m, n, startMs, asOf)) {
        yield d;
        tick('dossiers');
      }
    }
    const nf = setup.feedbackCounts.get(m) ?? 0;
    for (const f of feedbackOf(seed, setup, ctx, m, nf)) {
      yield f;
      tick('feedback');
    }
  }
  opts.onProgress?.({ ...progress });
  return plan;
}
