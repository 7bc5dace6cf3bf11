/**
 * The card image of a unit in a period (1200×630 PNG, what Open Graph and Twitter show large): laid out by satori
 * (flexbox to SVG, text as glyph outlines), rasterized by resvg (WebAssembly: the same bytes on a laptop and on
 * Lambda's ARM, nothing native to install). The font is Be Vietnam Pro (SIL OFL), whole: every Vietnamese letter.
 *
 * The layout is `cardTree` (pure, tested through its words); `renderCard` is the one place with a font and a wasm.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import satori from 'satori';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import type { Locale } from '../wording.ts';
import { CARD_ASSET_DIR, CARD_ASSETS } from './card-assets.ts';
import { CARD_SIZE, cardWords, type CardFacts } from './share.ts';

/** The site's band colours (shell/src/styles.css, light scheme): dark enough for text on white. */
const BAND_INK: Record<string, string> = { excellent: '#0f7b3f', good: '#2f7d1f', fair: '#8a6d00', average: '#b45309', weak: '#b42318' };
const INK = '#1b1f24';
const MUTED = '#57606a';
const BRAND = '#0b5cad';
const PROVISIONAL = '#8a4b00';
const FONT = 'Be Vietnam Pro';
const MARGIN = 60;
const SCORE_WIDTH = 470;

interface Node { type: string; props: { style?: Record<string, unknown>; children?: unknown } }
const h = (type: string, style: Record<string, unknown>, ...children: (Node | string | null | false)[]): Node =>
  ({ type, props: { style, children: children.filter((c) => c !== null && c !== false) } });
const box = (style: Record<string, unknown>, ...children: (Node | string | null | false)[]) => h('div', { display: 'flex', ...style }, ...children);

/** The card's element tree (satori's input: React-like nodes, inline styles only). */
export function cardTree(f: CardFacts, locale: Locale): Node {
  const w = cardWords(f, locale);
  const ink = f.score ? BAND_INK[f.score.band.code] ?? INK : MUTED;
  const header = box({ justifyContent: 'space-between', alignItems: 'center', fontSize: 26, color: BRAND },
    box({ fontWeight: 700 }, w.site),
    box({ fontSize: 28, fontWeight: 700, color: INK, background: '#eef2f7', borderRadius: 12, padding: '8px 20px' }, w.period));
  const title = box({ flexDirection: 'column', marginTop: 16 },
    box({ fontSize: w.name.length > 34 ? 44 : 56, fontWeight: 700, color: INK, lineHeight: 1.1 }, w.name),
    box({ fontSize: 26, color: MUTED, marginTop: 8 }, [w.context, w.peerGroup].filter(Boolean).join(' · ')));
  const score = f.score
    ? box({ flexDirection: 'column', width: SCORE_WIDTH },
      box({ alignItems: 'flex-end' },
        box({ fontSize: 116, fontWeight: 700, color: ink, lineHeight: 1 }, w.total!),
        box({ fontSize: 34, color: MUTED, marginLeft: 10, marginBottom: 14 }, '/100')),
      box({ fontSize: 36, fontWeight: 700, color: ink, marginTop: 4 }, w.band!),
      box({ fontSize: 28, color: INK, marginTop: 6 }, w.retired ?? w.rank ?? ''),
      w.change ? box({ fontSize: 26, color: MUTED, marginTop: 6 }, w.change) : null)
    : box({ flexDirection: 'column', width: CARD_SIZE.width - 2 * MARGIN }, box({ fontSize: 48, fontWeight: 700, color: MUTED }, w.noScore!));
  const groups = box({ flexDirection: 'column', width: CARD_SIZE.width - 2 * MARGIN - SCORE_WIDTH - 40, marginLeft: 40 },
    ...w.groups.map((g) => box({ flexDirection: 'column', marginBottom: 12 },
      box({ justifyContent: 'space-between', fontSize: 22, color: INK }, box({}, g.name), box({ fontWeight: 700 }, `${g.points}/${g.max}`)),
      box({ height: 14, background: '#e6eaef', borderRadius: 7, marginTop: 6 },
        box({ width: `${(g.ratio * 100).toFixed(1)}%`, height: 14, background: BRAND, borderRadius: 7 })))));
  const footer = box({ flexDirection: 'column', fontSize: 22, color: MUTED },
    w.provisional ? box({ color: PROVISIONAL, fontWeight: 700, fontSize: 24, marginBottom: 6 }, w.provisional) : null,
    box({}, w.index));
  // satori does not take padding out of a 100% box: the content's size is set, the margins are what is left
  return box({ width: CARD_SIZE.width, height: CARD_SIZE.height, background: '#ffffff', fontFamily: FONT, borderTop: `14px solid ${ink}` },
    box({ flexDirection: 'column', justifyContent: 'space-between', width: CARD_SIZE.width - 2 * MARGIN, height: CARD_SIZE.height - 14 - 2 * 36, margin: `36px ${MARGIN}px` },
      box({ flexDirection: 'column' }, header, title),
      box({ alignItems: 'center' }, score, groups),
      footer));
}

// ------------------------------------------------------------------------------------------------- rendering
/**
 * The font and the wasm: beside the bundle on Lambda (`card-assets/`, copied by infra's bundling), else where npm
 * installed them.
 */
function asset(bundledName: string, specifier: string): Buffer {
  const bundled = fileURLToPath(new URL(`./${CARD_ASSET_DIR}/${bundledName}`, import.meta.url));
  return readFileSync(existsSync(bundled) ? bundled : createRequire(import.meta.url).resolve(specifier));
}

let ready: Promise<{ name: string; data: Buffer; weight: 400 | 700; style: 'normal' }[]> | undefined;
function engine() {
  ready ??= (async () => {
    await initWasm(asset('resvg.wasm', CARD_ASSETS['resvg.wasm']));
    return [
      { name: FONT, data: asset('BeVietnamPro-Regular.ttf', CARD_ASSETS['BeVietnamPro-Regular.ttf']), weight: 400 as const, style: 'normal' as const },
      { name: FONT, data: asset('BeVietnamPro-Bold.ttf', CARD_ASSETS['BeVietnamPro-Bold.ttf']), weight: 700 as const, style: 'normal' as const },
    ];
  })();
  return ready;
}

/** The card as SVG (text as outlines): what the PNG is rasterized from. */
export async function renderCardSvg(f: CardFacts, locale: Locale): Promise<string> {
  const fonts = await engine();
  return satori(cardTree(f, locale) as Parameters<typeof satori>[0], { ...CARD_SIZE, fonts });
}

/** The card as a 1200×630 PNG. */
export async function renderCard(f: CardFacts, locale: Locale): Promise<Uint8Array> {
  const svg = await renderCardSvg(f, locale);
  return new Resvg(svg, { fitTo: { mode: 'original' } }).render().asPng();
}
