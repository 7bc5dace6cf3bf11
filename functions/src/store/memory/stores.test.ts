/** The in-memory twins keep the same contracts as the DynamoDB adapters (test/integration/store-contracts.test.ts). */
import { describe } from 'vitest';
import { keyStoreContract } from '../key-store.contract.ts';
import { moduleStoreContract } from '../module-store.contract.ts';
import { recordStoreContract } from '../record-store.contract.ts';
import { scoringStoreContract } from '../scoring-store.contract.ts';
import { tallyStoreContract } from '../tally-store.contract.ts';
import { MemoryKeyStore } from './key-store.ts';
import { MemoryLeases } from './leases.ts';
import { MemoryModuleStore } from './module-store.ts';
import { MemoryRecordStore } from './record-store.ts';
import { MemoryScoringStore } from './scoring-store.ts';
import { MemoryTallyStore } from './tally-store.ts';

describe('MemoryRecordStore', () => recordStoreContract(async () => new MemoryRecordStore()));
describe('MemoryKeyStore', () => keyStoreContract(async () => new MemoryKeyStore()));
describe('MemoryModuleStore', () => moduleStoreContract(async () => new MemoryModuleStore()));
describe('MemoryScoringStore', () =>
  scoringStoreContract(async () => {
    const store = new MemoryScoringStore();
    return { store, scoresOf: async (period) => store.getPeriodScores(period) };
  }));
describe('MemoryTallyStore', () =>
  tallyStoreContract(async () => {
    const leases = new MemoryLeases();
    return { tallies: new MemoryTallyStore(leases), leases };
  }));
