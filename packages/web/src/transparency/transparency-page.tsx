import { api } from '../shared/http.ts';
import { isoTime } from '../shared/format.ts';
import { parseCheckpoint, type CheckpointView } from '../shared/checkpoint.ts';
import { type StatisticsView } from '../shared/statistics.ts';
import { Empty, ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { PairCharts } from './pair-charts.tsx';

interface PublicView {
  readonly statistics: StatisticsView;
  readonly checkpoint: CheckpointView | null;
  readonly origin: string;
}

/** The exchange's public views; a log with no witnessed checkpoint yet answers 404 on /checkpoint. */
async function loadPublic(): Promise<PublicView> {
  const [statistics, health, note] = await Promise.all([
    api<StatisticsView>('GET', '/v1/statistics'),
    api<{ origin: string }>('GET', '/v1/health'),
    fetch('/checkpoint', { signal: AbortSignal.timeout(30_000) }).then((response) => (response.ok ? response.text() : '')),
  ]);
  return { statistics, checkpoint: note ? parseCheckpoint(note) : null, origin: health.origin };
}

/**
 * The public transparency page (issue 5, DESIGN.md "The public and the press"): aggregate
 * figures per pair of parties, the latest checkpoint and its cosigners, and the command that
 * recomputes every figure from the log. It reads only the exchange's public views, which
 * carry no personal data and nothing sealed; it shows no request ids or pseudonyms either.
 */
export function TransparencyPage() {
  const [loaded, reload] = useFetch(loadPublic, 'public');
  return (
    <div className="page">
      <header className="top">
        <h1>Evenhand: the public record</h1>
        <p className="lede">What each state asked of the other and what became of it, recomputed from a transparency log that every state and a neutral witness cosign.</p>
      </header>
      <main>
        {loaded.state === 'loading' ? <Loading what="the public figures" /> : null}
        {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
        {loaded.state === 'ready' ? (
          <>
            <p>
              Figures as of {isoTime(loaded.value.statistics.at)}, over the log's first {loaded.value.statistics.size} entries.{' '}
              <button type="button" onClick={reload}>Refresh</button>
            </p>
            {loaded.value.statistics.pairs.length === 0 ? <Empty>No request has been filed yet.</Empty> : <PairCharts pairs={loaded.value.statistics.pairs} />}
            <CheckpointSection checkpoint={loaded.value.checkpoint} />
            <VerifySection origin={loaded.value.origin} />
          </>
        ) : null}
      </main>
    </div>
  );
}

function CheckpointSection({ checkpoint }: { readonly checkpoint: CheckpointView | null }) {
  return (
    <section aria-labelledby="checkpoint-heading">
      <h2 id="checkpoint-heading">Latest checkpoint</h2>
      {checkpoint === null ? (
        <Empty>No checkpoint has met its witness quorum yet.</Empty>
      ) : (
        <>
          <dl className="facts">
            <dt>Log</dt>
            <dd>{checkpoint.origin}</dd>
            <dt>Entries</dt>
            <dd data-testid="checkpoint-size">{checkpoint.size}</dd>
            <dt>Root hash</dt>
            <dd><code>{checkpoint.root}</code></dd>
          </dl>
          <h3>Signed by</h3>
          <ul>
            {checkpoint.signers.map((signer) => (
              <li key={signer.name}>
                {signer.cosignedAt === null ? `${signer.name} (the log's own signature)` : `${signer.name}, witness, cosigned at ${isoTime(signer.cosignedAt)}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function VerifySection({ origin }: { readonly origin: string }) {
  const url = window.location.origin;
  return (
    <section aria-labelledby="verify-heading">
      <h2 id="verify-heading">Check every figure yourself</h2>
      <p>
        Do not take this page's word for it. With the Evenhand command line, mirror the log of <code>{origin}</code>, check every signature, the witness quorum and the
        consistency with your last run, replay every entry through the treaty and recompute these figures:
      </p>
      <pre data-testid="verify-command"><code>{`npm run evenhand -- verify --log ${url} --policy policy.txt --as <your state or witness>`}</code></pre>
      <p>
        <code>policy.txt</code> is the witness policy: the log's key, each witness's key and the quorum. The exchange publishes one at <a href="/policy">/policy</a>; compare it
        with the one your own state or the treaty published before you rely on it, since a verifier that takes the policy from the party it checks checks nothing.
      </p>
    </section>
  );
}
