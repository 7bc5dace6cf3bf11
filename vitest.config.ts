import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  test: {
    include: ['**/*.{test,spec}.ts'],
    exclude: ['**/node_modules/**', 'dist/**', '.data/**', 'cdk.out/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
