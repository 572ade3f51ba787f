import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTreaty, NO_FACTS, type RequestView, type Treaty } from '../src/index.ts';

export const TREATY_PATH = fileURLToPath(new URL('../../../treaties/us-ru-2021.yaml', import.meta.url));

export function treaty2021(): Treaty {
  const loaded = loadTreaty(readFileSync(TREATY_PATH, 'utf8'));
  if (!loaded.ok) throw new Error(`the 2021 treaty does not load: ${JSON.stringify(loaded.error.issues)}`);
  return loaded.value;
}

export { NO_FACTS };

/** 16 June 2021, the Geneva summit. */
export const GENEVA = Date.UTC(2021, 5, 16) / 1000;

export function requestView(overrides: Partial<RequestView> = {}): RequestView {
  return {
    requesting: 'US',
    requested: 'RU',
    kind: 'extradition',
    purpose: 'prosecution',
    subject: { nationalities: ['RU'], ageAtOffence: 30 },
    offences: ['ransomware-extortion'],
    offenceDate: '2021-05-07',
    facts: NO_FACTS,
    filedAt: GENEVA,
    ...overrides,
  };
}
