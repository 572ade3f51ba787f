import { route, textAnswer } from './common.ts';

/**
 * The contract of a witness's add-checkpoint (C2SP tlog-witness), served by the neutral
 * witness and by each gateway's own: the protocol answers in text, failures included, so the
 * statuses are listed one by one rather than as the services' JSON error body.
 */
export const addCheckpointContract = (summary: string) =>
  route({
    tags: ['witness'],
    summary,
    description: 'The body is `old <size>`, the consistency proof lines (base64), a blank line and the checkpoint note, as C2SP tlog-witness states.',
    failures: 'as-listed',
    response: {
      200: textAnswer("this witness's cosignature lines on the checkpoint"),
      400: textAnswer('the body is not an add-checkpoint request'),
      403: textAnswer('the checkpoint is not signed by a log key this witness knows'),
      404: textAnswer('this witness does not witness that origin'),
      409: textAnswer('the old size is not the size this witness last cosigned; the body is that size', 'text/x.tlog.size'),
      422: textAnswer('the consistency proof fails, or the checkpoint contradicts what this witness verified'),
      500: textAnswer('the witness failed; nothing was cosigned'),
    },
  });

/** The latest checkpoint a witness cosigned (issue 12, "split views across parties"). */
export const cosignedCheckpointContract = (summary: string) =>
  route({ tags: ['witness'], summary, failures: 'as-listed', response: { 200: textAnswer('the checkpoint (C2SP signed note) with the cosignature'), 404: textAnswer('no checkpoint of that origin cosigned yet') } });
