import { useFormat, useT } from '../i18n/i18n.tsx';

export interface EntryRow {
  readonly index: number;
  readonly type: string;
  readonly author: string;
  readonly time: number;
  /** Whether a cosigned checkpoint includes the entry; omit to leave the column out. */
  readonly includedInCheckpoint?: boolean;
  /** The official who took the act, where this state can read it (sealed to the parties). */
  readonly official?: string;
}

/** A section listing log entries (a request's timeline, a trade's history), one row each. */
export function EntryTable(props: { readonly id: string; readonly title: string; readonly testId: string; readonly rows: readonly EntryRow[]; readonly label: (type: string) => string }) {
  const { id, title, testId, rows, label } = props;
  const t = useT();
  const f = useFormat();
  const showInclusion = rows.some((row) => row.includedInCheckpoint !== undefined);
  const showOfficial = rows.some((row) => row.official !== undefined);
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <div className="table-scroll">
        <table data-testid={testId}>
          <thead>
            <tr>
              <th scope="col">{t.entryTable.index}</th>
              <th scope="col">{t.entryTable.entry}</th>
              <th scope="col">{t.entryTable.signedBy}</th>
              {showOfficial ? <th scope="col">{t.entryTable.official}</th> : null}
              <th scope="col">{t.entryTable.time}</th>
              {showInclusion ? <th scope="col">{t.entryTable.included}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.index}>
                <td>{row.index}</td>
                <td>{label(row.type)}</td>
                <td>{row.author}</td>
                {showOfficial ? <td>{row.official ?? ''}</td> : null}
                <td>{f.dateTime(row.time)}</td>
                {showInclusion ? <td>{row.includedInCheckpoint ? t.entryTable.yesCosigned : t.entryTable.awaiting}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
