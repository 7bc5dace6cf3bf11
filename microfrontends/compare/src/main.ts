import App from './App.svelte';
import { moduleLifecycles } from '../../_kit/index.ts';

export const { bootstrap, mount, update, unmount } = moduleLifecycles(App, { name: 'compare', url: import.meta.url });
