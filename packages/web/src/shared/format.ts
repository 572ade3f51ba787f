/** Month keys for charts: "2026-11", in UTC, so every reader's chart buckets the same entries. */
export function monthOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 7);
}
