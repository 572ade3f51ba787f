import { useEffect } from 'react';
import { LanguageSwitch, useT } from '../i18n/i18n.tsx';

/** What `evenhand check-proof` prints for an unanswered obligation (docs/case-proof.md); the command writes English. */
const EXAMPLE = 'RU has not decided US-2021-002: due 2021-08-14, still open at checkpoint 1,234 cosigned 2021-11-30 by US, RU, CH.';

/**
 * What a case proof shows and how to check it (issue 13, "Where people get them"), in English
 * and Russian, consistent with docs/case-proof.md: the exchange serves it beside the
 * transparency page and each gateway beside the console, so both link to it on their own origin.
 * It is static: it reads nothing from the log.
 */
export function ProofsPage() {
  const t = useT();
  useEffect(() => {
    document.title = t.proofs.tabTitle;
  }, [t]);
  const file = t.proofs.yourFile;
  return (
    <div className="page">
      <a className="skip-link" href="#main">{t.common.skipToContent}</a>
      <header className="top">
        <h1>{t.proofs.title}</h1>
        <LanguageSwitch />
        <p className="lede">{t.proofs.lede}</p>
      </header>
      <main id="main" tabIndex={-1}>
        <p><a href="/">{t.proofs.back}</a></p>
        <section aria-labelledby="holds-heading">
          <h2 id="holds-heading">{t.proofs.holdsHeading}</h2>
          <ul>{t.proofs.holds.map((item) => <li key={item}>{item}</li>)}</ul>
        </section>
        <section aria-labelledby="unanswered-heading">
          <h2 id="unanswered-heading">{t.proofs.unansweredHeading}</h2>
          <p>{t.proofs.unanswered}</p>
          <blockquote lang="en" data-testid="unanswered-example">{EXAMPLE}</blockquote>
        </section>
        <section aria-labelledby="check-heading">
          <h2 id="check-heading">{t.proofs.checkHeading}</h2>
          <p>{t.proofs.check}</p>
          <pre data-testid="check-command"><code>{`npm run evenhand -- check-proof ${file}`}</code></pre>
          <p>{t.proofs.pin}</p>
          <pre><code>{`npm run evenhand -- check-proof --policy policy.txt ${file}`}</code></pre>
        </section>
        <section aria-labelledby="exit-heading">
          <h2 id="exit-heading">{t.proofs.exitHeading}</h2>
          <ul data-testid="exit-codes">{t.proofs.exits.map((item) => <li key={item}>{item}</li>)}</ul>
        </section>
        <section aria-labelledby="limits-heading">
          <h2 id="limits-heading">{t.proofs.limitsHeading}</h2>
          <p>{t.proofs.limits}</p>
          <p>{t.proofs.format}</p>
        </section>
      </main>
    </div>
  );
}
