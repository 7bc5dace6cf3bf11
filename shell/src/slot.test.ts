import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Slot, type Lifecycles, type SlotOptions } from './slot.ts';

const strings = () => ({ loading: 'Loading', error: 'Could not load', retry: 'Retry' });
const flush = () => new Promise((r) => setTimeout(r, 0));

function makeSlot(importer: (spec: string, failed: number) => Promise<unknown>, revive?: (name: string) => void, onError?: SlotOptions['onError']) {
  const element = document.createElement('section');
  document.body.append(element);
  return new Slot({ name: 'm', specifier: '@itmap/m', importer, element, strings, revive, onError });
}
function okModule(log: string[]): Lifecycles {
  return {
    bootstrap: async () => { log.push('bootstrap'); },
    mount: async (p) => { log.push(`mount:${p.locale}`); p.domElement.textContent = `hello ${p.locale}`; },
    update: async (p) => { log.push(`update:${p.locale}`); p.domElement.textContent = `hello ${p.locale}`; },
    unmount: async (p) => { log.push('unmount'); p.domElement.textContent = ''; },
  };
}

describe('Slot (error isolation around a module)', () => {
  let errors: ReturnType<typeof vi.spyOn>;
  beforeEach(() => { errors = vi.spyOn(console, 'error').mockImplementation(() => {}); });
  afterEach(() => { errors.mockRestore(); document.body.replaceChildren(); });

  it('loads, mounts, updates and unmounts a module', async () => {
    const log: string[] = [];
    const slot = makeSlot(async () => okModule(log));
    await slot.lifecycles.mount({ locale: 'vi' });
    expect(slot.element.hidden).toBe(false);
    expect(slot.mountPoint.textContent).toBe('hello vi');
    await slot.update({ locale: 'en' });
    expect(slot.mountPoint.textContent).toBe('hello en');
    await slot.lifecycles.unmount();
    expect(slot.element.hidden).toBe(true);
    expect(log).toEqual(['bootstrap', 'mount:vi', 'update:en', 'unmount']);
  });

  it('tells what failed, so the shell reports it to the module\'s team: load, bootstrap, mount, update, unmount, timeout', async () => {
    const kinds: string[] = [];
    const failing = (step: keyof Lifecycles) => ({ ...okModule([]), [step]: async () => { throw new Error(`${step} broke`); } });
    const onError: SlotOptions['onError'] = (_name, _error, kind) => kinds.push(kind);
    await makeSlot(async () => { throw new TypeError('Failed to fetch'); }, undefined, onError).lifecycles.mount({});
    await makeSlot(async () => failing('bootstrap'), undefined, onError).lifecycles.mount({});
    await makeSlot(async () => failing('mount'), undefined, onError).lifecycles.mount({});
    const updating = makeSlot(async () => failing('update'), undefined, onError);
    await updating.lifecycles.mount({});
    await updating.update({ locale: 'en' });
    const unmounting = makeSlot(async () => failing('unmount'), undefined, onError);
    await unmounting.lifecycles.mount({});
    await unmounting.lifecycles.unmount();
    makeSlot(async () => okModule([]), undefined, onError).giveUp(new Error('mount did not resolve'), true);
    expect(kinds).toEqual(['load', 'bootstrap', 'mount', 'update', 'unmount', 'timeout']);
  });

  it('shows an error card when the import fails, and Retry asks past the cached failure', async () => {
    const calls: number[] = [];
    const log: string[] = [];
    const slot = makeSlot(async (_s, failed) => {
      calls.push(failed);
      if (failed === 0) throw new TypeError('Failed to fetch dynamically imported module: /modules/m.js');
      return okModule(log);
    });
    await expect(slot.lifecycles.mount({ locale: 'vi' })).resolves.toBeUndefined(); // never rejects to single-spa
    const card = slot.element.querySelector('.error-card')!;
    expect(card.getAttribute('role')).toBe('alert');
    expect(card.textContent).toContain('Failed to fetch');
    (card.querySelector('button') as HTMLButtonElement).click();
    await flush();
    expect(calls).toEqual([0, 1]);
    expect(slot.element.querySelector('.error-card')).toBeNull();
    expect(slot.mountPoint.textContent).toBe('hello vi');
  });

  it('preload starts the import before the mount, which uses it; a failed preload shows the card and Retry asks again', async () => {
    const log: string[] = [];
    const calls: number[] = [];
    const slot = makeSlot(async (_s, failed) => { calls.push(failed); return okModule(log); });
    slot.preload();
    slot.preload();
    expect(calls).toEqual([0]);
    await slot.lifecycles.mount({ locale: 'vi' });
    expect(calls).toEqual([0]);
    expect(log).toEqual(['bootstrap', 'mount:vi']);

    const failing = makeSlot(async (_s, failed) => {
      calls.push(failed);
      if (failed === 0) throw new TypeError('Failed to fetch dynamically imported module');
      return okModule(log);
    });
    calls.length = 0;
    failing.preload();
    await flush();
    expect(failing.element.querySelector('.error-card')).toBeNull(); // nothing shown before the slot is on the page
    await failing.lifecycles.mount({ locale: 'vi' });
    expect(calls).toEqual([0]);
    expect(failing.element.querySelector('.error-card')?.textContent).toContain('Failed to fetch');
    await failing.retry();
    expect(calls).toEqual([0, 1]);
    expect(failing.mountPoint.textContent).toBe('hello vi');
  });

  it('rejects a module without lifecycles', async () => {
    const slot = makeSlot(async () => ({ default: {} }));
    await slot.lifecycles.mount({ locale: 'vi' });
    expect(slot.element.querySelector('.error-card')?.textContent).toContain('does not export single-spa lifecycles');
  });

  it('shows an error card when mount or update throws; unmount and a later mount still work', async () => {
    let fail = true;
    const slot = makeSlot(async () => ({
      mount: async (p: any) => { p.domElement.textContent = 'partial'; if (fail) throw new Error('boom'); p.domElement.textContent = 'ok'; },
      update: async () => { throw new Error('bad update'); },
      unmount: async (p: any) => { p.domElement.textContent = ''; },
    }));
    await slot.lifecycles.mount({ locale: 'vi' });
    expect(slot.state).toBe('error');
    expect(slot.mountPoint.textContent).toBe('');
    expect(slot.element.querySelector('.error-card')?.textContent).toContain('boom');
    fail = false;
    await slot.retry();
    expect(slot.mountPoint.textContent).toBe('ok');
    await slot.update({ locale: 'en' });
    expect(slot.element.querySelector('.error-card')?.textContent).toContain('bad update');
    await slot.lifecycles.unmount();
    expect(slot.element.querySelector('.error-card')).toBeNull();
    await slot.lifecycles.mount({ locale: 'vi' });
    expect(slot.mountPoint.textContent).toBe('ok');
  });

  it('a module single-spa gave up (a mount that never settles) shows its card on its route only; Retry asks to register it again', async () => {
    let settle: () => void = () => {};
    let mounts = 0;
    const revived: string[] = [];
    const slot = makeSlot(async () => ({
      mount: (p: any) => (mounts++ ? Promise.resolve() : new Promise<void>((resolve) => { p.domElement.textContent = 'late'; settle = resolve; })),
      unmount: async (p: any) => { p.domElement.textContent = ''; },
    }), (name) => { revived.push(name); });
    void slot.lifecycles.mount({ locale: 'vi' }); // never settles: single-spa's timeout gives it up
    await flush();
    slot.giveUp(new Error('mount did not resolve or reject for 10000 ms'), true);
    expect(slot.element.hidden).toBe(false);
    expect(slot.element.querySelector('.error-card')?.textContent).toContain('did not resolve');
    settle(); // the abandoned mount finishing later changes nothing
    await flush();
    expect(slot.state).toBe('error');
    expect(slot.mountPoint.textContent).toBe('');
    slot.showGivenUp(false); // another page
    expect(slot.element.hidden).toBe(true);
    slot.showGivenUp(true); // back on its page: the card again, not an empty slot
    expect(slot.element.querySelector('.error-card')).not.toBeNull();
    (slot.element.querySelector('.error-card button') as HTMLButtonElement).click();
    await flush();
    expect(revived).toEqual(['m']);
    expect(slot.givenUp).toBe(false);
    await slot.lifecycles.mount({ locale: 'vi' }); // what single-spa does once registered again
    expect(slot.state).toBe('mounted');
    expect(slot.element.querySelector('.error-card')).toBeNull();
  });

  it('an unmount that never settles, given up, cannot clear a later mount', async () => {
    let hang = true;
    let finishUnmount: () => void = () => {};
    const slot = makeSlot(async () => ({
      mount: async (p: any) => { p.domElement.textContent = 'shown'; },
      unmount: (p: any) => (hang ? new Promise<void>((resolve) => { finishUnmount = () => { p.domElement.textContent = ''; resolve(); }; }) : Promise.resolve()),
    }), () => {});
    await slot.lifecycles.mount({ locale: 'vi' });
    void slot.lifecycles.unmount();
    await flush();
    slot.giveUp(new Error('unmount did not resolve'), false);
    expect(slot.element.hidden).toBe(true);
    hang = false;
    await slot.retry();
    await slot.lifecycles.mount({ locale: 'vi' });
    expect(slot.mountPoint.textContent).toBe('shown');
    finishUnmount(); // the old unmount's own DOM work is the module's; the slot's state stays
    await flush();
    expect(slot.state).toBe('mounted');
  });
});
