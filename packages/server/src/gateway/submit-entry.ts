import { entryBodySchemas, issuesFromZod, type EntryType } from '@evenhand/core';
import { ServiceError } from '../errors.ts';
import type { GatewayContext } from './context.ts';
import { gatherSealed, sealBody } from './sealed-members.ts';
import type { Submitted } from './submitter.ts';

/**
 * From an official's body to a submitted entry: gather the sealed members, check the body
 * against the core schema (so a typo is answered here, naming the field, before anything is
 * signed), encrypt `sealed` to the parties of the request and the observers, then sign and
 * submit. The body is signed as given, without the schema's defaults, as the log stores it.
 */
export async function submitEntry(context: GatewayContext, type: EntryType, body: Record<string, unknown>, time: number, parties: readonly string[]): Promise<Submitted> {
  const plain = gatherSealed(type, body);
  const parsed = entryBodySchemas[type].safeParse(plain, { reportInput: true });
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues, ['body']);
    throw new ServiceError('BODY_INVALID', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues[0]?.path);
  }
  const sealed = await sealBody(plain, [...parties, ...context.sealObservers], context.sealRecipients);
  const submitted = await context.submitter.submit({ time, type, body: sealed });
  // Let the mirror catch up soon, so the official sees the entry in the timeline.
  void context.refresh().catch(() => undefined);
  return submitted;
}
