/** What the card function reads at run time (card.ts), and infra copies beside its bundle: file name → npm path. */
export const CARD_ASSET_DIR = 'card-assets';
export const CARD_ASSETS: Record<string, string> = {
  'resvg.wasm': '@resvg/resvg-wasm/index_bg.wasm',
  'BeVietnamPro-Regular.ttf': '@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf',
  'BeVietnamPro-Bold.ttf': '@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf',
};
