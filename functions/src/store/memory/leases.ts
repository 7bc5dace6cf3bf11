/** The in-memory twin of the leases in the state table. */
import type { Leases } from '../ports.ts';

export class MemoryLeases implements Leases {
  private readonly held = new Map<string, { owner: string; untilMs: number }>();

  ownerOf(name: string): string | undefined {
    return this.held.get(name)?.owner;
  }

  async takeLease(name: string, owner: string, nowMs: number, untilMs: number) {
    const lease = this.held.get(name);
    if (lease && lease.untilMs >= nowMs) return false;
    this.held.set(name, { owner, untilMs });
    return true;
  }

  async renewLease(name: string, owner: string, untilMs: number) {
    if (this.held.get(name)?.owner !== owner) return false;
    this.held.set(name, { owner, untilMs });
    return true;
  }

  async releaseLease(name: string, owner: string) {
    if (this.held.get(name)?.owner === owner) this.held.delete(name);
  }
}
