import { useEffect, useState } from 'react';
import { api, ApiError } from '../shared/http.ts';
import { ErrorNote, Loading } from '../shared/status.tsx';
import { DashboardPage } from './dashboard-page.tsx';
import { DraftPage, DraftsPage } from './drafts-page.tsx';
import { FileRequestPage } from './file-request-page.tsx';
import { LogHealthPage } from './log-health-page.tsx';
import { LoginPage } from './login-page.tsx';
import { RequestDetailPage } from './request-detail-page.tsx';
import { RequestsPage } from './requests-page.tsx';
import { href, useRoute } from './router.ts';
import { SessionContext } from './session.tsx';
import { TradeDetailPage } from './trade-detail-page.tsx';
import { TradesPage } from './trades-page.tsx';
import type { Me } from './types.ts';

type SessionState = { readonly state: 'checking' } | { readonly state: 'out'; readonly error?: Error } | { readonly state: 'in'; readonly me: Me };

/**
 * The officials' console (issue 5). The session is the gateway's httpOnly cookie; the page
 * asks /api/me who is logged in and keeps the CSRF token it returns for writes. Every screen
 * shows the official's state and role in the header, next to the logout button.
 */
export function App() {
  const [session, setSession] = useState<SessionState>({ state: 'checking' });
  useEffect(() => {
    api<Me>('GET', '/api/me').then(
      (me) => setSession({ state: 'in', me }),
      (error: unknown) => setSession(error instanceof ApiError && error.status === 401 ? { state: 'out' } : { state: 'out', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }, []);

  if (session.state === 'checking') return <div className="page"><Loading what="your session" /></div>;
  if (session.state === 'out') {
    return (
      <div className="page">
        {session.error ? <ErrorNote error={session.error} /> : null}
        <LoginPage onLogin={(me) => setSession({ state: 'in', me })} />
      </div>
    );
  }
  const logout = async () => {
    await api('POST', '/api/logout', { csrf: session.me.csrfToken }).catch(() => undefined);
    window.location.hash = '';
    setSession({ state: 'out' });
  };
  return (
    <SessionContext.Provider value={session.me}>
      <div className="page">
        <Header me={session.me} onLogout={logout} />
        <main id="main">
          <Screen />
        </main>
      </div>
    </SessionContext.Provider>
  );
}

const NAV: readonly { readonly path: string; readonly label: string; readonly roles?: readonly string[] }[] = [
  { path: 'requests', label: 'Requests' },
  { path: 'file', label: 'File a request', roles: ['clerk'] },
  { path: 'drafts', label: 'Drafts' },
  { path: 'trades', label: 'Trades' },
  { path: 'dashboard', label: 'Reciprocity' },
  { path: 'log', label: 'Log health' },
];

function Header({ me, onLogout }: { readonly me: Me; readonly onLogout: () => void }) {
  const [first = 'requests'] = useRoute();
  return (
    <header className="top">
      <h1>Evenhand · {me.party}</h1>
      <nav aria-label="Console">
        <ul>
          {NAV.filter((item) => !item.roles || item.roles.includes(me.role)).map((item) => (
            <li key={item.path}>
              <a href={href(item.path)} aria-current={first === item.path ? 'page' : undefined}>{item.label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="who">
        <span data-testid="who">{me.username}</span>
        <span className="role" data-testid="role" title="your role">{me.role}</span>
        <button type="button" className="secondary" onClick={onLogout}>Log out</button>
      </div>
    </header>
  );
}

function Screen() {
  const [first = 'requests', second] = useRoute();
  if (first === 'requests' && second) return <RequestDetailPage id={second} />;
  if (first === 'requests') return <RequestsPage />;
  if (first === 'file') return <FileRequestPage />;
  if (first === 'drafts' && second) return <DraftPage id={second} />;
  if (first === 'drafts') return <DraftsPage />;
  if (first === 'trades' && second) return <TradeDetailPage id={second} />;
  if (first === 'trades') return <TradesPage />;
  if (first === 'dashboard') return <DashboardPage />;
  if (first === 'log') return <LogHealthPage />;
  return <p>No such screen. <a href={href('requests')}>Go to the requests</a>.</p>;
}
