import { describe } from 'vitest';
import { tallyStoreContract } from '../tally-store.contract.ts';
import { MemoryLeases } from './leases.ts';
import { MemoryTallyStore } from './tally-store.ts';

describe('MemoryTallyStore', () =>
  tallyStoreContract(async () => {
    const leases = new MemoryLeases();
    return { tallies: new MemoryTallyStore(leases), leases };
  }));
