/**
 * Uploads one evidence file through this state's gateway (`POST /api/evidence`), which seals it
 * and stores the ciphertext at the exchange: for a filed request, under the case's own key
 * (`{ request }`), so that erasing the case erases the file; for a filing not yet made, to this
 * state and the counterpart (`{ for }`). The answer's `sha256:` reference is what an entry
 * names: a filing's attachments, or the data a request for data is answered with (issue 17).
 */
export interface UploadedEvidence {
  readonly ref: string;
  readonly filename: string;
  readonly size: number;
}

export async function uploadEvidence(csrfToken: string, target: { readonly for: string } | { readonly request: string }, file: File): Promise<UploadedEvidence> {
  const query = 'request' in target ? `request=${encodeURIComponent(target.request)}` : `for=${encodeURIComponent(target.for)}`;
  const response = await fetch(`/api/evidence?${query}`, {
    method: 'POST',
    credentials: 'same-origin',
    // Header values are ASCII: the gateway decodes a percent-encoded name.
    headers: { 'content-type': file.type || 'application/octet-stream', 'x-filename': encodeURIComponent(file.name), 'x-csrf-token': csrfToken },
    body: file,
  });
  const answer = (await response.json()) as { ref?: string; size?: number; message?: string };
  if (!response.ok || !answer.ref) throw new Error(answer.message ?? `HTTP ${response.status}`);
  return { ref: answer.ref, filename: file.name, size: answer.size ?? file.size };
}
