import { useEffect, useRef, useState } from 'react';
import { LanguageSwitch, useT } from '../i18n/i18n.tsx';
import { api, ApiError } from '../shared/http.ts';
import { ErrorNote, Loading } from '../shared/status.tsx';
import { DashboardPage } from './dashboard-page.tsx';
import { DraftPage, DraftsPage } from './drafts-page.tsx';
import { FileRequestPage } from './file-request-page.tsx';
import { InboxPage } from './inbox-page.tsx';
import { CatchUpBanner } from './catch-up-banner.tsx';
import { LiveProvider } from './live.tsx';
import { LogHealthPage } from './log-health-page.tsx';
import { NotificationCentre } from './notifications.tsx';
import { LoginPage } from './login-page.tsx';
import { RequestDetailPage } from './request-detail-page.tsx';
import { RequestsPage } from './requests-page.tsx';
import { href, useRoute } from './router.ts';
import { SessionContext } from './session.tsx';
import { TradeDetailPage } from './trade-detail-page.tsx';
import { TradesPage } from './trades-page.tsx';
import { TreatyProvider } from './treaty-context.tsx';
import type { Me } from './types.ts';

type SessionState = { readonly state: 'checking' } | { readonly state: 'out'; readonly error?: Error } | { readonly state: 'in'; readonly me: Me };

/**
 * The officials' console (issue 5). The session is the gateway's httpOnly cookie; the page
 * asks /api/me who is logged in and keeps the CSRF token it returns for writes. Every screen
 * shows the official's state and role in the header, next to the language and the logout.
 */
export function App() {
  const t = useT();
  const [session, setSession] = useState<SessionState>({ state: 'checking' });
  useEffect(() => {
    api<Me>('GET', '/api/me').then(
      (me) => setSession({ state: 'in', me }),
      (error: unknown) => setSession(error instanceof ApiError && error.status === 401 ? { state: 'out' } : { state: 'out', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }, []);

  if (session.state === 'checking') return <div className="page"><Loading what={t.login.form.toLowerCase()} /></div>;
  if (session.state === 'out') {
    return (
      <div className="page">
        <div className="top"><LanguageSwitch /></div>
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
      <TreatyProvider>
        <LiveProvider>
          <a className="skip-link" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>{t.common.skipToContent}</a>
          <div className="page">
            <Header me={session.me} onLogout={logout} />
            <NotificationCentre username={session.me.username} />
            <CatchUpBanner />
            <main id="main" tabIndex={-1}>
              <Screen />
            </main>
          </div>
        </LiveProvider>
      </TreatyProvider>
    </SessionContext.Provider>
  );
}

function Header({ me, onLogout }: { readonly me: Me; readonly onLogout: () => void }) {
  const t = useT();
  const [first = 'inbox'] = useRoute();
  const nav: readonly { readonly path: string; readonly label: string; readonly roles?: readonly string[] }[] = [
    { path: 'inbox', label: t.nav.inbox },
    { path: 'requests', label: t.nav.requests },
    { path: 'file', label: t.nav.file, roles: ['clerk'] },
    { path: 'drafts', label: t.nav.drafts },
    { path: 'trades', label: t.nav.trades },
    { path: 'dashboard', label: t.nav.dashboard },
    { path: 'log', label: t.nav.log },
  ];
  return (
    <header className="top">
      <h1>{t.nav.title(me.party)}</h1>
      <nav aria-label={t.nav.label}>
        <ul>
          {nav.filter((item) => !item.roles || item.roles.includes(me.role)).map((item) => (
            <li key={item.path}>
              <a href={href(item.path)} aria-current={first === item.path ? 'page' : undefined}>{item.label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="who">
        <span data-testid="who">{me.username}</span>
        <span className="role" data-testid="role" title={t.nav.yourRole}>{t.roles[me.role] ?? me.role}</span>
        <LanguageSwitch />
        <button type="button" className="secondary" onClick={onLogout}>{t.nav.logOut}</button>
      </div>
    </header>
  );
}

/**
 * The screen of the route. On a route change, focus moves to the new screen's heading, so a
 * screen reader announces it and keyboard focus does not stay on a link that is gone
 * (issue 15); the tab title names the screen, or the case.
 */
function Screen() {
  const t = useT();
  const route = useRoute();
  const [first = 'inbox', second] = route;
  const path = route.join('/');
  const previous = useRef<string | null>(null);
  useEffect(() => {
    const labels: Record<string, string> = { inbox: t.nav.inbox, requests: t.nav.requests, file: t.nav.file, drafts: t.nav.drafts, trades: t.nav.trades, dashboard: t.nav.dashboard, log: t.nav.log };
    document.title = second ? t.detail.tabTitle(second) : `${labels[first] ?? ''} · Evenhand`;
    if (previous.current !== null && previous.current !== path) {
      // After the new screen has rendered its heading.
      const timer = setTimeout(() => (document.getElementById('route-heading') ?? document.getElementById('main'))?.focus(), 0);
      previous.current = path;
      return () => clearTimeout(timer);
    }
    previous.current = path;
    return undefined;
  }, [path, first, second, t]);
  if (first === 'inbox') return <InboxPage />;
  if (first === 'requests' && second) return <RequestDetailPage id={second} />;
  if (first === 'requests') return <RequestsPage />;
  if (first === 'file') return <FileRequestPage />;
  if (first === 'drafts' && second) return <DraftPage id={second} />;
  if (first === 'drafts') return <DraftsPage />;
  if (first === 'trades' && second) return <TradeDetailPage id={second} />;
  if (first === 'trades') return <TradesPage />;
  if (first === 'dashboard') return <DashboardPage />;
  if (first === 'log') return <LogHealthPage />;
  return <p>{t.common.noSuchScreen} <a href={href('requests')}>{t.common.goToRequests}</a>.</p>;
}
