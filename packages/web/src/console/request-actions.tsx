import { ErrorNote, Loading } from '../shared/status.tsx';
import { useFetch } from '../shared/use-fetch.ts';
import { actionsFor } from './action-catalogue.ts';
import { ActionForm } from './action-form.tsx';
import { DecisionPanel } from './decision-panel.tsx';
import { useMe } from './session.tsx';
import { loadTreaty } from './treaty.ts';
import type { RequestDetail } from './types.ts';

/** The actions this official may take on this request: by role inside the state, and by side. */
export function RequestActions({ request, onDone }: { readonly request: RequestDetail; readonly onDone: () => void }) {
  const me = useMe();
  const [treaty, reload] = useFetch(() => loadTreaty(), 'treaty');
  const side = request.requesting === me.party ? 'requesting' : 'requested';
  const specs = actionsFor(me.role, side);
  const path = (action: string) => `/api/requests/${encodeURIComponent(request.id)}/actions/${action}`;
  const decides = side === 'requested' && me.role === 'approver';
  if (specs.length === 0 && !decides) return <p>Your role ({me.role}) takes no action on this request as the {side} party.</p>;
  if (treaty.state === 'loading') return <Loading what="the treaty" />;
  if (treaty.state === 'error') return <ErrorNote error={treaty.error} retry={reload} />;
  const grounds = (treaty.value?.grounds ?? []).map((ground) => ground.id);
  return (
    <section aria-labelledby="actions-heading">
      <h3 id="actions-heading">Actions ({me.role}, {side} party)</h3>
      {decides ? <DecisionPanel request={request} grounds={grounds} onDone={onDone} /> : null}
      <div className="actions">
        {specs.map((spec) => (
          <ActionForm key={spec.action} spec={spec} path={path(spec.action)} grounds={grounds} onDone={onDone} />
        ))}
      </div>
    </section>
  );
}
