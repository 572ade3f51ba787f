import { useT } from '../i18n/i18n.tsx';

/** Where the gateway serves the explanation of case proofs (server static-site.ts CASE_PROOFS_PAGE). */
export const CASE_PROOFS_PAGE = '/case-proofs';

/**
 * "Download proof" (issue 13): the case proof the gateway makes from its verified mirror, a
 * file anyone can check offline with `evenhand check-proof`, and the page that says what it
 * proves. A plain link, so the browser downloads it with the session cookie, as any file.
 */
export function ProofLinks({ path }: { readonly path: string }) {
  const t = useT();
  return (
    <>
      <a href={path} download data-testid="download-proof">{t.proofs.download}</a>
      <a href={CASE_PROOFS_PAGE} target="_blank" rel="noopener">{t.proofs.about}</a>
    </>
  );
}

/** The proof that an overdue obligation of the request went unanswered (`?unanswered=<kind>`); a link to act on, so not in the printed case file. */
export function UnansweredProofLink({ request, kind }: { readonly request: string; readonly kind: string }) {
  const t = useT();
  return (
    <a className="no-print" href={`/api/requests/${encodeURIComponent(request)}/proof?unanswered=${encodeURIComponent(kind)}`} download data-testid={`unanswered-proof-${kind}`}>
      {t.proofs.downloadUnanswered(t.obligations[kind] ?? kind)}
    </a>
  );
}
