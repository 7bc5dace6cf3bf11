// The tile map's links are SVG <a> elements, placed with SVG's `transform` attribute; Svelte types
// every <a> as HTML's anchor, which has none. Types only: the markup is unchanged.
import 'svelte/elements';

declare module 'svelte/elements' {
  interface HTMLAnchorAttributes {
    /** SVG <a> only (a graphics element): its transform, e.g. `translate(64 0)` */
    transform?: string | undefined | null;
  }
}
