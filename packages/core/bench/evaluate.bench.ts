/**
 * `evaluate` throughput on generated requests (issue 2: goal at least 20,000 requests/s).
 * Run: node --import tsx packages/core/bench/evaluate.bench.ts [requests]
 *
 * The requests vary direction, nationality, offences, age, dates and facts, against a
 * history with invocations so that the mirrored-ground path runs too.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluate, loadTreaty, type EvaluationContext, type RequestView, type Treaty } from '../src/index.ts';

const GOAL = 20_000;
const FILED = Date.UTC(2021, 5, 16) / 1000;

function loadScenarioTreaty(): Treaty {
  const path = fileURLToPath(new URL('../../../treaties/us-ru-2021.yaml', import.meta.url));
  const loaded = loadTreaty(readFileSync(path, 'utf8'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error.issues));
  return loaded.value;
}

/** A deterministic generator (a linear congruential sequence), so every run measures the same data. */
function generate(treaty: Treaty, count: number): RequestView[] {
  let seed = 20210616;
  const next = (bound: number) => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed % bound;
  };
  const offences = treaty.offences.map((offence) => offence.id);
  const nationalities = ['US', 'RU', 'UA', 'KZ'];
  const views: RequestView[] = [];
  for (let index = 0; index < count; index += 1) {
    const forward = next(2) === 0;
    const picked = new Set([offences[next(offences.length)]!, offences[next(offences.length)]!]);
    views.push({
      requesting: forward ? 'US' : 'RU',
      requested: forward ? 'RU' : 'US',
      kind: 'extradition',
      purpose: next(5) === 0 ? 'enforcement' : 'prosecution',
      sentenceRemainingMonths: next(24),
      subject: { nationalities: [nationalities[next(nationalities.length)]!], ageAtOffence: 14 + next(40) },
      offences: [...picked],
      offenceDate: `20${14 + next(8)}-0${1 + next(9)}-1${next(10)}`,
      facts: {
        finalJudgment: next(20) === 0,
        amnesty: next(50) === 0,
        politicalOffence: next(15) === 0,
        discriminationRisk: next(30) === 0,
        militaryOffence: false,
        fiscalOffence: next(25) === 0,
        pendingProceedings: next(10) === 0,
      },
      filedAt: FILED + next(86_400 * 365),
    });
  }
  return views;
}

function main(): void {
  const count = Number(process.argv[2] ?? 50_000);
  const treaty = loadScenarioTreaty();
  const views = generate(treaty, count);
  const context: EvaluationContext = {
    invocations: [
      { by: 'RU', against: 'US', ground: 'nationality' },
      { by: 'US', against: 'RU', ground: 'political-offence' },
    ],
  };
  let sink = 0;
  for (const view of views.slice(0, 2_000)) sink += evaluate(treaty, view, context).rules.length; // warm-up
  const rounds = 3;
  let best = 0;
  for (let round = 0; round < rounds; round += 1) {
    const started = process.hrtime.bigint();
    for (const view of views) sink += evaluate(treaty, view, context).availableGrounds.length;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, views.length / seconds);
  }
  const verdict = best >= GOAL ? 'meets' : 'MISSES';
  console.log(`evaluate: ${Math.round(best).toLocaleString('en')} requests/s (${views.length.toLocaleString('en')} generated requests, best of ${rounds}; checksum ${sink}) — goal ≥ ${GOAL.toLocaleString('en')} requests/s: ${verdict}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
