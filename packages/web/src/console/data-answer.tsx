import { useFormat, useT } from '../i18n/i18n.tsx';
import type { DataAnswer } from './types.ts';

/**
 * The rows of a request for data (issue 17) in the case summary: the requested party's 24/7
 * contact point (Budapest art. 35), until when the data is preserved (art. 29(7)), and the
 * files it was answered with, each opened through this gateway, which decrypts it and records
 * who read it.
 */
export function DataRows({ data }: { readonly data: DataAnswer }) {
  const t = useT();
  const f = useFormat();
  const contact = data.contactPoint;
  return (
    <>
      <dt>{t.data.contactPoint}</dt>
      <dd data-testid="detail-contact-point">{contact ? [contact.name, contact.phone, contact.email].filter(Boolean).join(' · ') : t.data.noContactPoint}</dd>
      {data.preservedUntil !== null ? (
        <>
          <dt>{t.data.preservedUntil}</dt>
          <dd data-testid="detail-preserved-until">{f.dateTime(data.preservedUntil)}</dd>
        </>
      ) : null}
      <dt>{t.data.provided}</dt>
      <dd data-testid="detail-provided">
        {data.providedAt === null ? (
          t.data.notYet
        ) : (
          <>
            {t.data.providedAt(f.dateTime(data.providedAt))}
            <ul>
              {data.provided.map((ref) => (
                <li key={ref}>
                  <a href={`/api/evidence/${encodeURIComponent(ref)}`} download>{t.data.file}</a> <code>{ref}</code>
                </li>
              ))}
            </ul>
          </>
        )}
      </dd>
    </>
  );
}
