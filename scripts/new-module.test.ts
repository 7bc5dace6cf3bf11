import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newModule } from './new-module.ts';

describe('npm run new-module: the registry’s name and route rules', () => {
  const at = () => join(mkdtempSync(join(tmpdir(), 'itmap-scaffold-')), 'module');

  it('makes a module whose name and route the registry accepts', async () => {
    const dir = await newModule({ name: 'a', dir: at() });
    expect(existsSync(join(dir, 'manifest.json'))).toBe(true);
    await expect(newModule({ name: 'x'.repeat(40), dir: at() })).resolves.toBeTruthy();
  });

  it.each(['x'.repeat(41), 'Health', '1health', 'health_dept', ''])('refuses the name %j as the registry does', async (name) => {
    const dir = at();
    await expect(newModule({ name, dir })).rejects.toThrow(/not a module name: 1 to 40 characters/);
    expect(existsSync(dir)).toBe(false);
  });

  it.each([['/', 'platform'], ['/units/:unitId', 'platform'], ['//evil.example/x', 'must be "/" or'], ['/health/', 'must be "/" or']])('refuses the route %s', async (route, why) => {
    await expect(newModule({ name: 'health', route, dir: at() })).rejects.toThrow(new RegExp(`^route .*${why}`));
  });

  it('refuses a name whose default route is the platform’s', async () => {
    await expect(newModule({ name: 'api', dir: at() })).rejects.toThrow(/route \/api: belongs to the platform/);
  });
});
