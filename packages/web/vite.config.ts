import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Three pages from one build, sharing their chunks under /assets: the officials' console
 * (index.html, served by each gateway at /), the public transparency page
 * (transparency.html, served by the exchange at /), and the explanation of case proofs
 * (proofs.html, served by both at /case-proofs). Asset URLs are absolute (/assets/…),
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
      input: { console: 'index.html', transparency: 'transparency.html', proofs: 'proofs.html' },
    },
  },
});
