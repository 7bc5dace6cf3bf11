/**
 * /embed/host.js — the optional helper for pages that embed our charts: sizes each of our
 * iframes to the height its page posts ({type: 'itmap:height', height, chart}). Messages are
 * accepted only from the origin this script was loaded from, and only for the iframe that sent
 * them. No globals, no inline styles (sets the iframe's height attribute), nothing else.
 *   <script src="https://<site>/embed/host.js" async></script>
 */
(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const origin = script ? new URL(script.src).origin : '';
  if (!origin) return;
  const ours = () => [...document.querySelectorAll('iframe')].filter((f) => f.src.startsWith(origin + '/embed/'));
  addEventListener('message', (e) => {
    const d = e.data as { type?: unknown; height?: unknown } | null;
    if (e.origin !== origin || !d || d.type !== 'itmap:height' || typeof d.height !== 'number' || !(d.height > 0)) return;
    const frame = ours().find((f) => f.contentWindow === e.source);
    if (frame) frame.height = String(Math.min(Math.ceil(d.height), 10000));
  });
  // embeds that loaded before this script: ask them to post their height again
  const ask = () => { for (const f of ours()) f.contentWindow?.postMessage({ type: 'itmap:request-height' }, origin); };
  ask();
  for (const f of ours()) f.addEventListener('load', ask);
})();
