import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

const exclude = ['**/node_modules/**', 'dist/**', '.data/**', 'cdk.out/**'];

/**
 * Two projects: back end, infra and cross-folder tests run in Node with Node's module resolution
 * (the AWS SDK must not resolve to its browser build); Svelte components run in jsdom.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['shared-types/**/*.test.ts', 'functions/**/*.test.ts', 'infra/**/*.test.ts', 'local/**/*.test.ts', 'scripts/**/*.test.ts', 'tools/**/*.test.ts', 'test/**/*.test.ts'],
          exclude,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'components',
          environment: 'jsdom',
          include: ['packages/**/*.test.ts', 'microfrontends/**/*.test.ts', 'shell/**/*.test.ts'],
          exclude,
        },
      },
    ],
  },
});
