import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Two pages from one build, sharing their chunks under /assets: the officials' console
 * (index.html, served by each gateway at /) and the public transparency page
 * (transparency.html, served by the exchange at /). Asset URLs are absolute (/assets/…),
 * which both services serve from packages/web/dist.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the served build: they would double what the browser may fetch.
    sourcemap: false,
    rollupOptions: {
      input: { console: 'index.html', transparency: 'transparency.html' },
    },
  },
});
