/**
 * The part of the core a browser runs: the entry schemas and the treaty's evaluation. It
 * leaves out trade clearing, whose LP solver (highs, WebAssembly) a page does not need.
 */
export { entryBodySchemas, NO_FACTS, type EntryBody, type EntryType, type Facts } from './request/entries.ts';
export { evaluate, type Evaluation, type RuleResult } from './treaty/evaluate.ts';
export { detailInEnglish, findingInEnglish, type FactTest, type Finding, type FindingNames } from './treaty/findings.ts';
export { EVIDENCE_KINDS, type EvidenceKind, type Treaty } from './treaty/schema.ts';
export type { RequestView, EvaluationContext, GroundInvocation } from './treaty/request-view.ts';
export type { PairStatistics } from './statistics/statistics.ts';
export type { RequestFigures } from './statistics/request-figures.ts';
export type { CaseFigures, PairFigures } from './statistics/incident-statistics.ts';
export type { IncidentItem, IncidentRequestRow, GroupItem } from './views/incident-views.ts';
export type { PairMonths } from './views/monthly-series.ts';
export { INCIDENT_SECTORS, type IncidentSector } from './incidents/sectors.ts';
export { REQUEST_RELATIONS, type RequestRelation } from './request/entries.ts';
export type { ActList, ActVariant, DischargedObligation, LegalAct, UnavailableAct } from './acts/legal-acts.ts';
export type { OfficialRole } from './acts/official-roles.ts';
