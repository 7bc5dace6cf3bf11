import App from './App.svelte';
import { moduleLifecycles } from '@itmap/kit';

export const { bootstrap, mount, update, unmount } = moduleLifecycles(App, { name: "satisfaction", url: import.meta.url });
