/**
 * Scaffolds a micro-frontend with the same shape as every other one:
 *
 *   node scripts/new-module.ts <name> [--owner TEAM] [--route /path] [--title-vi "…"] [--title-en "…"] [--standalone DIR]
 *
 * writes microfrontends/<name>/{package.json, manifest.json, src/main.ts, src/App.svelte,
 * src/strings.ts, src/App.test.ts}. Then: `npm install` (links the workspace),
 * `npm run build -w microfrontends/<name>`, `npx vitest run microfrontends/<name>`.
 *
 * With `--standalone DIR`: a module's own repository in DIR instead — the same source, and the template's
 * files (templates/module: package.json depending on the kit, vitest.config.ts, tsconfig.json, .gitignore, the CI
 * workflow, README.md), with the kit and the shared types packed into DIR/vendor (`npm run pack-kit`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { MODULES_DIR, ROOT } from './build-web.ts';
import { isPlatformRoute, moduleNameProblem, routeProblem } from '../functions/src/domain/modules/rules.ts';

export interface NewModuleOptions { name: string; owner?: string; route?: string; titleVi?: string; titleEn?: string; dir?: string; standalone?: boolean }

/** What a module's own repository has besides its source (README.md there says how to use it). */
export const TEMPLATE_DIR = join(ROOT, 'templates/module');
/** The packages a module's own repository installs from vendor/ (`npm run pack-kit` makes their tarballs). */
export const VENDORED = [{ name: '@itmap/kit', dir: 'packages/kit' }, { name: '@itmap/shared-types', dir: 'shared-types' }];
export const tarballOf = (name: string, version: string) => `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

/** The template's files for module `name`: its package.json named after it and depending on the kit of this checkout. */
export async function standaloneFiles(name: string, description: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(TEMPLATE_DIR, { recursive: true, withFileTypes: true })) {
    const path = relative(TEMPLATE_DIR, join(entry.parentPath, entry.name));
    if (!entry.isFile() || /^(node_modules|dist|vendor)\//.test(path)) continue;
    files[path] = await readFile(join(TEMPLATE_DIR, path), 'utf8');
  }
  const pkg = JSON.parse(files['package.json']);
  for (const { name: dep, dir } of VENDORED) {
    const { version } = JSON.parse(await readFile(join(ROOT, dir, 'package.json'), 'utf8'));
    pkg.devDependencies[dep] = `file:vendor/${tarballOf(dep, version)}`;
  }
  files['package.json'] = JSON.stringify({ ...pkg, name: `@itmap/${name}`, description }, null, 2) + '\n';
  return files;
}

/** Packs the kit and the shared types of this checkout into `dir` (what the platform hands a team: README.md). */
export function packKit(dir: string): void {
  const run = spawnSync('npm', ['pack', ...VENDORED.flatMap((v) => ['-w', v.dir]), '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npm pack failed: ${run.stderr}`);
}

const q = (s: string) => JSON.stringify(s);

export function moduleFiles(o: Required<Omit<NewModuleOptions, 'dir' | 'standalone'>>): Record<string, string> {
  const { name, owner, route, titleVi, titleEn } = o;
  return {
    'package.json': JSON.stringify({
      name: `@itmap/${name}`, version: '0.1.0', private: true, type: 'module', description: titleEn,
      scripts: { build: `node ../../scripts/build-web.ts --module ${name}`, test: `vitest run --root ../.. microfrontends/${name}` },
    }, null, 2) + '\n',
    'manifest.json': JSON.stringify({ name, owner, route, title: { vi: titleVi, en: titleEn } }, null, 2) + '\n',
    'src/main.ts': `import App from './App.svelte';
import { moduleLifecycles } from '@itmap/kit';

export const { bootstrap, mount, update, unmount } = moduleLifecycles(App, { name: ${q(name)}, url: import.meta.url });
`,
    'src/strings.ts': `import { translator } from '@itmap/kit';

// Vietnamese first; English complete.
const STRINGS = {
  vi: {
    heading: ${q(titleVi)},
    caption: 'Điểm {period}',
  },
  en: {
    heading: ${q(titleEn)},
    caption: 'Scores, {period}',
  },
} as const;

export const t = translator(STRINGS);
`,
    'src/App.svelte': `<script lang="ts">
  // Props come from the shell: {locale, period, unitId, navigate, href, api, embed, query, asOf}.
  // Data: the static snapshots under /data through \`api\` (docs/CONTRACTS.md). No {@html}.
  // No period in the URL: the last complete month (defaultPeriodFrom). An ongoing period is provisional: say so.
  import { LoadStatus, ProvisionalNote, TableScroll, kt, lt, loadFor, formatNumber, periodLabel, defaultPeriodFrom, type ModuleProps } from '@itmap/kit';
  import { t } from './strings.ts';

  let { locale, period, href, api, asOf }: ModuleProps = $props();

  // loaded again when the period or the data (asOf) change; a stale answer is dropped (the kit's loadFor)
  const view = loadFor(() => ({ api, want: period, asOf }), async ({ api, want }) => {
    const p = want || defaultPeriodFrom(await api.latest());
    const [scores, units] = await Promise.all([api.scores(p), api.units()]);
    return { scores, units: new Map(units.units.map((u) => [u.id, u])) };
  });
  const data = $derived(view.data);

  const caption = $derived(data ? t(locale, 'caption', { period: periodLabel(data.scores.period, locale, data.scores.provisional) }) : '');
</script>

<section>
  <h1>{t(locale, 'heading')}</h1>
  {#if !data}
    <LoadStatus {locale} {view} />
  {:else}
    <ProvisionalNote {locale} provisional={data.scores.provisional} asOf={data.scores.asOf} />
    <TableScroll label={caption}>
      <table class="data-table">
        <caption>{caption}</caption>
        <thead><tr><th scope="col">{kt(locale, 'unit')}</th><th scope="col" class="num">{kt(locale, 'score')}</th></tr></thead>
        <tbody>
          {#each data.scores.scores.slice(0, 10) as s (s.unitId)}
            <tr>
              <th scope="row"><a href={href({ path: \`/units/\${encodeURIComponent(s.unitId)}\` })}>{lt(data.units.get(s.unitId)?.name, locale) || s.unitId}</a></th>
              <td class="num">{formatNumber(s.total, locale)}</td>
            </tr>
          {/each}
        </tbody>
      </table>
    </TableScroll>
  {/if}
</section>

<style>
  section { margin-block: var(--space-4); }
</style>
`,
    'src/App.test.ts': `import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import App from './App.svelte';
import { baseProps, fakeApi, makeScore } from '@itmap/kit/testing';

const files = {
  'latest.json': { asOf: '2024-04-10T00:00:00+07:00', method: '766-v1', periods: ['2024-03', '2024-04'], latestPeriod: '2024-04', defaultPeriod: '2024-03', provisionalPeriods: ['2024-04'], changed: [] },
  'units.json': { asOf: '2025-01-01T00:00:00+07:00', units: [{ id: 'q3', parentId: null, kind: 'district', name: { vi: 'Quận 3', en: 'District 3' }, peerGroup: 'district', offersElectronicCertifiedCopy: false }] },
  'scores/2024-03.json': { period: '2024-03', method: '766-v1', asOf: '2024-04-10T00:00:00+07:00', provisional: false, scores: [makeScore({ unitId: 'q3', period: '2024-03', peerGroup: 'district', total: 81.2, rank: 1, band: 'good' })] },
  'scores/2024-04.json': { period: '2024-04', method: '766-v1', asOf: '2024-04-10T00:00:00+07:00', provisional: true, scores: [makeScore({ unitId: 'q3', period: '2024-04', peerGroup: 'district', total: 64.1, rank: 1, band: 'average', provisional: true })] },
};

describe(${q(name)}, () => {
  it('renders the scores of the period', async () => {
    render(App, baseProps(fakeApi(files)));
    expect(await screen.findByRole('table', { name: 'Điểm Tháng 3/2024' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Quận 3' }).getAttribute('href')).toBe('/units/q3');
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('opens on the last complete month; an ongoing one says it is provisional', async () => {
    const { unmount } = render(App, baseProps(fakeApi(files), { period: '' }));
    expect(await screen.findByRole('table', { name: 'Điểm Tháng 3/2024' })).toBeTruthy();
    unmount();
    render(App, baseProps(fakeApi(files), { period: '2024-04' }));
    expect(await screen.findByRole('table', { name: 'Điểm Tháng 4/2024 (tạm tính)' })).toBeTruthy();
    expect(screen.getByRole('note').textContent).toMatch(/^Tạm tính: kỳ này chưa kết thúc/);
  });

  it('speaks English', async () => {
    render(App, baseProps(fakeApi(files), { locale: 'en' }));
    expect(await screen.findByRole('table', { name: 'Scores, March 2024' })).toBeTruthy();
  });
});
`,
  };
}

export async function newModule(opts: NewModuleOptions): Promise<string> {
  const { name } = opts;
  const nameError = moduleNameProblem(name);
  if (nameError) throw new Error(nameError);
  const route = opts.route ?? `/${name}`;
  const routeError = routeProblem(route) ?? (isPlatformRoute(route) ? 'belongs to the platform (the registry refuses it to a team)' : null);
  if (routeError) throw new Error(`route ${route}: ${routeError}`);
  const dir = opts.dir ?? join(MODULES_DIR, name);
  if (existsSync(dir)) throw new Error(`${relative(ROOT, dir)} exists already`);
  const files = moduleFiles({
    name, owner: opts.owner ?? 'unassigned', route,
    titleVi: opts.titleVi ?? name, titleEn: opts.titleEn ?? name,
  });
  if (opts.standalone) Object.assign(files, await standaloneFiles(name, opts.titleEn ?? name));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  if (opts.standalone) {
    await mkdir(join(dir, 'vendor'), { recursive: true });
    packKit(join(dir, 'vendor'));
  }
  return dir;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const args = process.argv.slice(2);
  const opts: NewModuleOptions = { name: '' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--owner') opts.owner = args[++i];
    else if (a === '--route') opts.route = args[++i];
    else if (a === '--title-vi') opts.titleVi = args[++i];
    else if (a === '--title-en') opts.titleEn = args[++i];
    else if (a === '--standalone') { opts.standalone = true; opts.dir = resolve(process.env.INIT_CWD ?? process.cwd(), args[++i]); }
    else if (!a.startsWith('--') && !opts.name) opts.name = a;
    else { console.error(`unknown argument ${a}`); process.exit(2); }
  }
  newModule(opts).then((dir) => {
    const rel = relative(ROOT, dir);
    console.log(opts.standalone
      ? `created ${dir} (the kit in vendor/)\nnext: cd ${dir} && git init && npm install && npm test && npm run build (README.md)`
      : `created ${rel}\nnext: npm install && npm run module -- build ${opts.name} && npm run module -- test ${opts.name}`);
  }, (e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 1; });
}
