import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/styles.css';
import { TransparencyPage } from './transparency-page.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TransparencyPage />
  </StrictMode>,
);
