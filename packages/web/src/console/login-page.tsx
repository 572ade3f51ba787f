import { useState, type FormEvent } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { api, ApiError } from '../shared/http.ts';
import { errorText } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import type { Me } from './types.ts';

/** The login form; it says whose gateway this is, so an official of the other state knows at once. */
export function LoginPage({ onLogin }: { readonly onLogin: (me: Me) => void }) {
  const t = useT();
  const [gateway] = useFetch(() => api<{ party: string; name: string }>('GET', '/api/gateway'), 'gateway');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await api<Me>('POST', '/api/login', { body: { username, password } }));
    } catch (caught) {
      setError(caught instanceof ApiError ? errorText(t, caught) : String(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main">
      <h1>{t.login.title}</h1>
      {gateway.state === 'ready' ? <p data-testid="gateway-of"><strong>{t.login.gatewayOf(gateway.value.party, gateway.value.name)}</strong></p> : null}
      <p>{t.login.intro}</p>
      <form onSubmit={submit} aria-label={t.login.form} noValidate>
        <label htmlFor="login-username">{t.login.username}</label>
        <input id="login-username" name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} required />
        <label htmlFor="login-password">{t.login.password}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        {error ? <p className="field-error" role="alert">{error}</p> : null}
        <p><button type="submit" disabled={busy}>{busy ? t.login.busy : t.login.submit}</button></p>
      </form>
    </main>
  );
}
