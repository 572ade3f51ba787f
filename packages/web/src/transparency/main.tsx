import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/styles.css';
import { LangProvider } from '../i18n/i18n.tsx';
import { TransparencyPage } from './transparency-page.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LangProvider>
      <TransparencyPage />
    </LangProvider>
  </StrictMode>,
);
