/**
 * The scoring method as DATA (INDEX-766.md § Indicators). The engine counts a fixed vocabulary
 * of additive measures per unit and period (`MEASURES`); a method table says which measure is
 * each indicator's numerator and denominator, its group, max points, rule, threshold and what
 * an empty denominator gives. A new version (`766-v2`: other weights, thresholds, empty rules,
 * groups or bands) is a new table, validated by `validateMethod`; no engine change.
 */
import { z } from 'zod';
import type { LocalizedText, FieldError } from './records.ts';

// ------------------------------------------------------------------------------------------
// Measures: what the engine counts (additive over units, so a parent pools its subtree)
// ------------------------------------------------------------------------------------------

export const MEASURES = {
  // procedures (catalogue; 1.1 and 1.2 by due date in P, the others the current catalogue)
  proceduresAnnouncementDue: 'procedures whose announcementDueAt falls in P',
  proceduresAnnouncedOnTime: '… of which announcedAt ≤ announcementDueAt',
  proceduresPublicationDue: 'procedures whose publicationDueAt falls in P',
  proceduresPublishedOnTime: '… of which publishedAt ≤ publicationDueAt',
  procedures: 'procedures in the catalogue',
  proceduresPublishedInFull: 'procedures with componentsPublished = 7',
  proceduresFeeBearing: 'procedures with feeRequired',
  proceduresPaymentIntegrated: 'fee-bearing procedures with onlinePaymentIntegrated',
  proceduresPaidOnlineInPeriod: 'fee-bearing procedures with ≥ 1 dossier in P that is paidOnline',
  proceduresCitizen: 'procedures with citizenApplicants',
  proceduresPopulationDataConnected: 'procedures with citizenApplicants and populationDataConnected',
  // dossiers
  dossiers: 'dossiers in P (received before the end of P and not completed before its start)',
  dossiersOnTime: 'dossiers in P on time in P',
  dossiersOverdue: 'dossiers in P overdue in P',
  dossiersSynced: 'dossiers in P syncedToNationalPortal',
  dossiersReceived: 'dossiers received in P',
  dossiersCompleted: 'dossiers completed in P',
  dossiersFullOnlineEligible: 'dossiers in P whose procedure is fully online (onlineLevel = full)',
  dossiersFullOnline: '… of which channel = online',
  dossiersFinancialObligation: 'dossiers in P with financialObligation',
  dossiersPaidOnline: 'dossiers in P with financialObligation and paidOnline',
  dossiersCompletedResultRequired: 'dossiers completed in P whose procedure has resultRequired',
  dossiersElectronicResult: '… of which electronicResult',
  dossiersDigitized: 'dossiers in P digitized',
  dossiersReceivedReusedData: 'dossiers received in P with reusedDigitizedData',
  dossiersLinkedPersonalDataStore: 'dossiers in P linkedPersonalDataStore',
  dossiersUsesPopulationData: 'dossiers in P usesPopulationData',
  dossiersSatisfied: 'dossiers in P neither overdue in P nor citizenComplaint',
  // registry
  wards: 'wards in the subtree (a ward counts itself)',
  wardsOfferingCopies: 'wards in the subtree with offersElectronicCertifiedCopy',
  // 1022 feedback
  feedback: 'feedback in P (received before the end of P and not resolved before its start)',
  feedbackReceived: 'feedback received in P',
  feedbackResolved: 'feedback resolved in P',
  feedbackResolvedOnTime: 'feedback resolved in P with resolvedAt ≤ dueAt',
  feedbackOnTime: 'feedback in P on time in P',
  feedbackOverdue: 'feedback in P overdue in P',
  feedbackOpen: 'feedback in P not resolved at the end of P',
  feedbackSatisfied: 'feedback in P that is none of (dislikes > likes, reComplained, overdue in P)',
} as const;

export type MeasureId = keyof typeof MEASURES;
export const MEASURE_IDS = Object.keys(MEASURES) as MeasureId[];

// ------------------------------------------------------------------------------------------
// Method table
// ------------------------------------------------------------------------------------------

export type GroupKey = 'transparency' | 'progress' | 'onlineServices' | 'digitization' | 'satisfaction';
export const GROUP_KEYS: readonly GroupKey[] = ['transparency', 'progress', 'onlineServices', 'digitization', 'satisfaction'];
export type SubgroupKey = 'payment';
export type IndicatorRule = 'linear' | 'threshold';
export type EmptyRule = 'full' | 'zero';
export type BandCode = 'excellent' | 'good' | 'fair' | 'average' | 'weak';

export interface IndicatorDef {
  id: string;
  group: GroupKey;
  subgroup?: SubgroupKey;
  name: LocalizedText;
  description: LocalizedText;
  numerator: MeasureId;
  denominator: MeasureId;
  max: number;
  /** linear: max × n/d; threshold: min(max, max × (n/d)/threshold) */
  rule: IndicatorRule;
  threshold?: number;
  /** points when d = 0: full = max, zero = 0 and flagged noData */
  empty: EmptyRule;
}

export interface GroupDef {
  key: GroupKey;
  name: LocalizedText;
  /** sum of its indicators' max (checked by validateMethod) */
  max: number;
}

export interface SubgroupDef {
  key: SubgroupKey;
  group: GroupKey;
  name: LocalizedText;
  max: number;
}

export interface BandDef {
  code: BandCode;
  /** a total (rounded to 2 decimals) ≥ min gets this band; bands are tried from the highest min */
  min: number;
  label: LocalizedText;
}

export interface MethodTable {
  id: string;
  name: LocalizedText;
  groups: GroupDef[];
  subgroups: SubgroupDef[];
  indicators: IndicatorDef[];
  bands: BandDef[];
}

const lt = (vi: string, en: string): LocalizedText => ({ vi, en });

export const METHOD_766_V1: MethodTable = {
  id: '766-v1',
  name: lt(
    'Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)',
    'Index of service to citizens and businesses (Decision 766/QĐ-TTg)',
  ),
  groups: [
    { key: 'transparency', name: lt('Công khai, minh bạch', 'Transparency'), max: 18 },
    { key: 'progress', name: lt('Tiến độ giải quyết', 'Progress'), max: 20 },
    { key: 'onlineServices', name: lt('Dịch vụ công trực tuyến', 'Online public services'), max: 22 },
    { key: 'digitization', name: lt('Số hóa hồ sơ', 'Digitization'), max: 22 },
    { key: 'satisfaction', name: lt('Mức độ hài lòng', 'Satisfaction'), max: 18 },
  ],
  subgroups: [{ key: 'payment', group: 'onlineServices', name: lt('Thanh toán trực tuyến', 'Online payment'), max: 10 }],
  indicators: [
    {
      id: '1.1', group: 'transparency',
      name: lt('Thủ tục hành chính được công bố đúng hạn', 'Procedures announced on time'),
      description: lt('Số thủ tục công bố đúng hạn / số thủ tục đến hạn công bố trong kỳ', 'Procedures announced on time / procedures due for announcement in the period'),
      numerator: 'proceduresAnnouncedOnTime', denominator: 'proceduresAnnouncementDue', max: 6, rule: 'linear', empty: 'zero',
    },
    {
      id: '1.2', group: 'transparency',
      name: lt('Thủ tục hành chính được công khai đúng hạn', 'Procedures published on time'),
      description: lt('Số thủ tục công khai đúng hạn / số thủ tục đến hạn công khai trong kỳ', 'Procedures published on time / procedures due for publication in the period'),
      numerator: 'proceduresPublishedOnTime', denominator: 'proceduresPublicationDue', max: 4, rule: 'linear', empty: 'zero',
    },
    {
      id: '1.3', group: 'transparency',
      name: lt('Thủ tục hành chính được công khai đầy đủ', 'Procedures published in full'),
      description: lt('Số thủ tục công khai đủ 7 thành phần / tổng số thủ tục', 'Procedures with all 7 components published / procedures of the unit'),
      numerator: 'proceduresPublishedInFull', denominator: 'procedures', max: 2, rule: 'linear', empty: 'zero',
    },
    {
      id: '1.4', group: 'transparency',
      name: lt('Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia', 'Dossiers synced to the national portal'),
      description: lt('Số hồ sơ được đồng bộ / số hồ sơ trong kỳ', 'Dossiers synced / dossiers in the period'),
      numerator: 'dossiersSynced', denominator: 'dossiers', max: 6, rule: 'linear', empty: 'zero',
    },
    {
      id: '2.1', group: 'progress',
      name: lt('Hồ sơ giải quyết trước hạn, đúng hạn', 'Dossiers handled early or on time'),
      description: lt('Số hồ sơ đúng hạn / số hồ sơ trong kỳ', 'Dossiers on time / dossiers in the period'),
      numerator: 'dossiersOnTime', denominator: 'dossiers', max: 20, rule: 'linear', empty: 'zero',
    },
    {
      id: '3.1', group: 'onlineServices',
      name: lt('Hồ sơ trực tuyến toàn trình', 'Fully online dossiers among eligible ones'),
      description: lt('Số hồ sơ nộp trực tuyến / số hồ sơ trong kỳ của thủ tục trực tuyến toàn trình', 'Dossiers filed online / dossiers in the period whose procedure is fully online'),
      numerator: 'dossiersFullOnline', denominator: 'dossiersFullOnlineEligible', max: 12, rule: 'linear', empty: 'zero',
    },
    {
      id: '3.2', group: 'onlineServices', subgroup: 'payment',
      name: lt('Thủ tục có phí được tích hợp thanh toán trực tuyến', 'Fee-bearing procedures integrated with online payment'),
      description: lt('Số thủ tục có phí đã tích hợp thanh toán trực tuyến / số thủ tục có phí (đạt 80% là đủ điểm)', 'Fee-bearing procedures integrated with online payment / fee-bearing procedures (80% earns full points)'),
      numerator: 'proceduresPaymentIntegrated', denominator: 'proceduresFeeBearing', max: 2, rule: 'threshold', threshold: 0.8, empty: 'zero',
    },
    {
      id: '3.3', group: 'onlineServices', subgroup: 'payment',
      name: lt('Thủ tục có phí phát sinh thanh toán trực tuyến', 'Fee-bearing procedures with an online payment'),
      description: lt('Số thủ tục có phí có ít nhất 1 hồ sơ thanh toán trực tuyến trong kỳ / số thủ tục có phí (đạt 80% là đủ điểm)', 'Fee-bearing procedures with ≥ 1 dossier in the period paid online / fee-bearing procedures (80% earns full points)'),
      numerator: 'proceduresPaidOnlineInPeriod', denominator: 'proceduresFeeBearing', max: 2, rule: 'threshold', threshold: 0.8, empty: 'zero',
    },
    {
      id: '3.4', group: 'onlineServices', subgroup: 'payment',
      name: lt('Hồ sơ thanh toán trực tuyến', 'Dossiers paid online'),
      description: lt('Số hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến / số hồ sơ có nghĩa vụ tài chính trong kỳ', 'Dossiers with a financial obligation paid online / dossiers with a financial obligation in the period'),
      numerator: 'dossiersPaidOnline', denominator: 'dossiersFinancialObligation', max: 6, rule: 'linear', empty: 'zero',
    },
    {
      id: '4.1', group: 'digitization',
      name: lt('Kết quả giải quyết điện tử', 'Electronic results'),
      description: lt('Số hồ sơ có kết quả điện tử / số hồ sơ hoàn thành trong kỳ có kết quả', 'Dossiers with an electronic result / dossiers completed in the period that issue a result'),
      numerator: 'dossiersElectronicResult', denominator: 'dossiersCompletedResultRequired', max: 6, rule: 'linear', empty: 'zero',
    },
    {
      id: '4.2', group: 'digitization',
      name: lt('Hồ sơ được số hóa', 'Dossiers digitized'),
      description: lt('Số hồ sơ được số hóa thành phần và kết quả / số hồ sơ trong kỳ (đạt 80% là đủ điểm)', 'Dossiers with inputs and result digitized / dossiers in the period (80% earns full points)'),
      numerator: 'dossiersDigitized', denominator: 'dossiers', max: 4, rule: 'threshold', threshold: 0.8, empty: 'zero',
    },
    {
      id: '4.3', group: 'digitization',
      name: lt('Xã, phường cung cấp chứng thực bản sao điện tử', 'Wards offering electronic certified copies'),
      description: lt('Số xã, phường cung cấp dịch vụ chứng thực bản sao điện tử / số xã, phường trực thuộc', 'Wards offering electronic certified copies / wards in the subtree (a ward: itself)'),
      numerator: 'wardsOfferingCopies', denominator: 'wards', max: 2, rule: 'linear', empty: 'full',
    },
    {
      id: '4.4', group: 'digitization',
      name: lt('Tái sử dụng dữ liệu đã số hóa', 'Digitized data reused'),
      description: lt('Số hồ sơ tiếp nhận trong kỳ có tái sử dụng dữ liệu số hóa / số hồ sơ tiếp nhận trong kỳ (đạt 80% là đủ điểm)', 'Dossiers received in the period reusing digitized data / dossiers received in the period (80% earns full points)'),
      numerator: 'dossiersReceivedReusedData', denominator: 'dossiersReceived', max: 2, rule: 'threshold', threshold: 0.8, empty: 'zero',
    },
    {
      id: '4.5', group: 'digitization',
      name: lt('Kết nối kho dữ liệu cá nhân', 'Linked to the personal data store'),
      description: lt('Số hồ sơ kết nối kho dữ liệu cá nhân / số hồ sơ trong kỳ', 'Dossiers linked to the personal data store / dossiers in the period'),
      numerator: 'dossiersLinkedPersonalDataStore', denominator: 'dossiers', max: 4, rule: 'linear', empty: 'zero',
    },
    {
      id: '4.6', group: 'digitization',
      name: lt('Sử dụng dữ liệu dân cư', 'Population data used'),
      description: lt('Số hồ sơ sử dụng dữ liệu dân cư / số hồ sơ trong kỳ', 'Dossiers using population data / dossiers in the period'),
      numerator: 'dossiersUsesPopulationData', denominator: 'dossiers', max: 2, rule: 'linear', empty: 'zero',
    },
    {
      id: '4.7', group: 'digitization',
      name: lt('Thủ tục kết nối cơ sở dữ liệu quốc gia về dân cư', 'Procedures connected to population data'),
      description: lt('Số thủ tục cho công dân đã kết nối dữ liệu dân cư / số thủ tục có đối tượng là công dân', 'Procedures for citizens connected to population data / procedures with citizen applicants'),
      numerator: 'proceduresPopulationDataConnected', denominator: 'proceduresCitizen', max: 2, rule: 'linear', empty: 'zero',
    },
    {
      id: '5.1', group: 'satisfaction',
      name: lt('Phản ánh, kiến nghị được xử lý đúng hạn', 'Feedback handled on time'),
      description: lt('Số phản ánh, kiến nghị đúng hạn / số phản ánh, kiến nghị trong kỳ', 'Feedback on time / feedback in the period'),
      numerator: 'feedbackOnTime', denominator: 'feedback', max: 6, rule: 'linear', empty: 'full',
    },
    {
      id: '5.2', group: 'satisfaction',
      name: lt('Hài lòng với việc xử lý phản ánh, kiến nghị', 'Satisfied with feedback handling'),
      description: lt('Số phản ánh, kiến nghị không bị chê, không khiếu nại lại, không quá hạn / số phản ánh, kiến nghị trong kỳ', 'Feedback with no dislike majority, no re-complaint and not overdue / feedback in the period'),
      numerator: 'feedbackSatisfied', denominator: 'feedback', max: 6, rule: 'linear', empty: 'full',
    },
    {
      id: '5.3', group: 'satisfaction',
      name: lt('Hài lòng với việc giải quyết hồ sơ', 'Satisfied with dossier handling'),
      description: lt('Số hồ sơ không quá hạn và không bị phản ánh / số hồ sơ trong kỳ (đạt 90% là đủ điểm)', 'Dossiers neither overdue nor complained about / dossiers in the period (90% earns full points)'),
      numerator: 'dossiersSatisfied', denominator: 'dossiers', max: 6, rule: 'threshold', threshold: 0.9, empty: 'zero',
    },
  ],
  bands: [
    { code: 'excellent', min: 90, label: lt('Xuất sắc', 'Excellent') },
    { code: 'good', min: 80, label: lt('Tốt', 'Good') },
    { code: 'fair', min: 70, label: lt('Khá', 'Fair') },
    { code: 'average', min: 50, label: lt('Trung bình', 'Average') },
    { code: 'weak', min: 0, label: lt('Yếu', 'Weak') },
  ],
};

// ------------------------------------------------------------------------------------------
// Runtime schema and consistency checks (for tables loaded from JSON, e.g. a city's 766-v2)
// ------------------------------------------------------------------------------------------

const ltSchema = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });
const measureSchema = z.enum(MEASURE_IDS as [MeasureId, ...MeasureId[]]);
const groupKeySchema = z.enum(GROUP_KEYS as [GroupKey, ...GroupKey[]]);

export const methodTableSchema = z.strictObject({
  id: z.string().min(1).max(200),
  name: ltSchema,
  groups: z.array(z.strictObject({ key: groupKeySchema, name: ltSchema, max: z.number().min(0) })).min(1),
  subgroups: z.array(z.strictObject({ key: z.literal('payment'), group: groupKeySchema, name: ltSchema, max: z.number().min(0) })),
  indicators: z.array(z.strictObject({
    id: z.string().min(1).max(50),
    group: groupKeySchema,
    subgroup: z.literal('payment').optional(),
    name: ltSchema,
    description: ltSchema,
    numerator: measureSchema,
    denominator: measureSchema,
    max: z.number().min(0),
    rule: z.enum(['linear', 'threshold']),
    threshold: z.number().gt(0).max(1).optional(),
    empty: z.enum(['full', 'zero']),
  })).min(1),
  bands: z.array(z.strictObject({
    code: z.enum(['excellent', 'good', 'fair', 'average', 'weak']),
    min: z.number(),
    label: ltSchema,
  })).min(1),
});

const EPS = 1e-9;

/** Shape plus consistency: unique ids, groups and subgroups exist and add up, thresholds, bands. */
export function validateMethod(input: unknown): { ok: true; method: MethodTable } | { ok: false; errors: FieldError[] } {
  const parsed = methodTableSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })) };
  }
  const m = parsed.data as MethodTable;
  const errors: FieldError[] = [];
  const groups = new Map(m.groups.map((g) => [g.key, g]));
  if (groups.size !== m.groups.length) errors.push({ field: 'groups', message: 'duplicate group key' });
  const ids = new Set<string>();
  m.indicators.forEach((ind, i) => {
    if (ids.has(ind.id)) errors.push({ field: `indicators.${i}.id`, message: `duplicate indicator id "${ind.id}"` });
    ids.add(ind.id);
    if (!groups.has(ind.group)) errors.push({ field: `indicators.${i}.group`, message: `unknown group "${ind.group}"` });
    if (ind.rule === 'threshold' && ind.threshold === undefined) errors.push({ field: `indicators.${i}.threshold`, message: 'is required when rule is "threshold"' });
    if (ind.rule === 'linear' && ind.threshold !== undefined) errors.push({ field: `indicators.${i}.threshold`, message: 'only applies when rule is "threshold"' });
    if (ind.subgroup !== undefined && !m.subgroups.some((s) => s.key === ind.subgroup && s.group === ind.group)) {
      errors.push({ field: `indicators.${i}.subgroup`, message: `no subgroup "${ind.subgroup}" in group "${ind.group}"` });
    }
  });
  m.groups.forEach((g, i) => {
    const sum = m.indicators.filter((x) => x.group === g.key).reduce((s, x) => s + x.max, 0);
    if (Math.abs(sum - g.max) > EPS) errors.push({ field: `groups.${i}.max`, message: `is ${g.max} but its indicators add up to ${sum}` });
  });
  m.subgroups.forEach((sg, i) => {
    const sum = m.indicators.filter((x) => x.group === sg.group && x.subgroup === sg.key).reduce((s, x) => s + x.max, 0);
    if (Math.abs(sum - sg.max) > EPS) errors.push({ field: `subgroups.${i}.max`, message: `is ${sg.max} but its indicators add up to ${sum}` });
  });
  const codes = new Set(m.bands.map((b) => b.code));
  if (codes.size !== m.bands.length) errors.push({ field: 'bands', message: 'duplicate band code' });
  if (!m.bands.some((b) => b.min <= 0)) errors.push({ field: 'bands', message: 'needs a band with min ≤ 0 so every total gets a band' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, method: m };
}

/** Total max points of a method (100 for 766-v1). */
export function methodMax(method: MethodTable): number {
  return method.indicators.reduce((s, x) => s + x.max, 0);
}

export const METHODS: Readonly<Record<string, MethodTable>> = { [METHOD_766_V1.id]: METHOD_766_V1 };
export const DEFAULT_METHOD_ID = METHOD_766_V1.id;

/** A built-in method table by id; throws an Error naming the known ids for an unknown one. */
export function getMethod(id: string = DEFAULT_METHOD_ID): MethodTable {
  const m = Object.hasOwn(METHODS, id) ? METHODS[id] : undefined;
  if (!m) throw new Error(`unknown method "${id}" (known: ${Object.keys(METHODS).join(', ')})`);
  return m;
}
