import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/styles.css';
import { LangProvider } from '../i18n/i18n.tsx';
import { ProofsPage } from './proofs-page.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LangProvider>
      <ProofsPage />
    </LangProvider>
  </StrictMode>,
);
