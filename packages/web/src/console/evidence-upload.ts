/**
 * Uploads one evidence file through this state's gateway (`POST /api/evidence?for=`), which
 * seals it to this state, the counterpart and the observers and stores the ciphertext at the
 * exchange. The answer's `sha256:` reference is what an entry names: a filing's attachments,
 * or the data a request for data is answered with (issue 17).
 */
export interface UploadedEvidence {
  readonly ref: string;
  readonly filename: string;
  readonly size: number;
}

export async function uploadEvidence(csrfToken: string, counterpart: string, file: File): Promise<UploadedEvidence> {
  const response = await fetch(`/api/evidence?for=${encodeURIComponent(counterpart)}`, {
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
