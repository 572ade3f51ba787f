import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <p>console</p>
  </StrictMode>,
);
