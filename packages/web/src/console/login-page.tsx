import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../shared/http.ts';
import type { Me } from './types.ts';

export function LoginPage({ onLogin }: { readonly onLogin: (me: Me) => void }) {
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
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main">
      <h1>Evenhand console</h1>
      <p>Officials of this gateway's central authority log in here.</p>
      <form onSubmit={submit} aria-label="Log in" noValidate>
        <label htmlFor="login-username">Username</label>
        <input id="login-username" name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} required />
        <label htmlFor="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        {error ? <p className="field-error" role="alert">{error}</p> : null}
        <p><button type="submit" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button></p>
      </form>
    </main>
  );
}
