/** Builders for engine tests (not exported from index.ts). */
import type { Dossier, Feedback, Procedure, Unit } from '../../../../shared-types/src/records.ts';

export const units: Unit[] = [
  { id: 'city', parentId: null, kind: 'city', name: { vi: 'TP', en: 'City' }, peerGroup: 'city', offersElectronicCertifiedCopy: false },
  { id: 'dept', parentId: 'city', kind: 'department', name: { vi: 'Sở', en: 'Dept' }, peerGroup: 'department', offersElectronicCertifiedCopy: false },
  { id: 'dist', parentId: 'city', kind: 'district', name: { vi: 'Quận', en: 'District' }, peerGroup: 'district', offersElectronicCertifiedCopy: false },
  { id: 'w1', parentId: 'dist', kind: 'ward', name: { vi: 'P1', en: 'W1' }, peerGroup: 'ward', offersElectronicCertifiedCopy: true },
  { id: 'w2', parentId: 'dist', kind: 'ward', name: { vi: 'P2', en: 'W2' }, peerGroup: 'ward', offersElectronicCertifiedCopy: false },
];

export const at = (local: string): string => `${local}+07:00`;

export function procedure(over: Partial<Procedure> = {}): Procedure {
  return {
    type: 'procedure', id: 'p1', unitId: 'w1', name: 'Thủ tục', onlineLevel: 'full', feeRequired: false, onlinePaymentIntegrated: false,
    resultRequired: true, citizenApplicants: false, populationDataConnected: false, announcementDueAt: null, announcedAt: null,
    publicationDueAt: null, publishedAt: null, componentsPublished: 7, updatedAt: at('2024-01-01T00:00:00'), ...over,
  };
}

export function dossier(over: Partial<Dossier> = {}): Dossier {
  return {
    type: 'dossier', id: 'd1', unitId: 'w1', procedureId: 'p1', receivedAt: at('2024-03-05T08:00:00'), channel: 'online',
    dueAt: at('2024-03-10T08:00:00'), completedAt: at('2024-03-06T08:00:00'), supplementRequests: 0, syncedToNationalPortal: false,
    financialObligation: false, paidOnline: false, electronicResult: false, digitized: false, reusedDigitizedData: false,
    linkedPersonalDataStore: false, usesPopulationData: false, citizenComplaint: false, updatedAt: at('2024-03-06T09:00:00'), ...over,
  };
}

export function feedback(over: Partial<Feedback> = {}): Feedback {
  return {
    type: 'feedback', id: 'f1', unitId: 'w1', field: 'other', category: 'procedure', receivedAt: at('2024-03-05T08:00:00'),
    dueAt: at('2024-03-15T08:00:00'), resolvedAt: at('2024-03-06T08:00:00'), likes: 0, dislikes: 0, reComplained: false, wardId: null,
    updatedAt: at('2024-03-06T09:00:00'), ...over,
  };
}
