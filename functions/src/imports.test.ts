import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the functions import nothing above them but the shared types (tools/, local/, scripts/, test/ sit on top)', () => {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const repo = resolve(root, '../..');
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
  const upward = files.flatMap((file) =>
    [...readFileSync(join(root, file), 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)]
      .map((match) => relative(repo, resolve(dirname(join(root, file)), match[1])))
      .filter((target) => !target.startsWith('functions/') && !target.startsWith('shared-types/'))
      .map((target) => `${file} → ${target}`),
  );
  expect(upward).toEqual([]);
});
