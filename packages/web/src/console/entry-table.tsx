import { isoTime } from '../shared/format.ts';

export interface EntryRow {
  readonly index: number;
  readonly type: string;
  readonly author: string;
  readonly time: number;
  /** Whether a cosigned checkpoint includes the entry; omit to leave the column out. */
  readonly includedInCheckpoint?: boolean;
}

/** A section listing log entries (a request's timeline, a trade's history), one row each. */
export function EntryTable(props: { readonly id: string; readonly title: string; readonly testId: string; readonly rows: readonly EntryRow[]; readonly label: (type: string) => string }) {
  const { id, title, testId, rows, label } = props;
  const showInclusion = rows.some((row) => row.includedInCheckpoint !== undefined);
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Log index</th>
            <th scope="col">Entry</th>
            <th scope="col">Signed by</th>
            <th scope="col">Time</th>
            {showInclusion ? <th scope="col">In a cosigned checkpoint?</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.index}>
              <td>{row.index}</td>
              <td>{label(row.type)}</td>
              <td>{row.author}</td>
              <td>{isoTime(row.time)}</td>
              {showInclusion ? <td>{row.includedInCheckpoint ? 'yes, cosigned' : 'not yet: awaiting the witnesses'}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
