/**
 * The sectors an incident is filed under (issue 17, "a public name, date, sector"): the
 * eighteen sectors of the NIS 2 Directive, Directive (EU) 2022/2555, Annex I ("sectors of high
 * criticality", the first eleven) and Annex II ("other critical sectors"), plus "other". A
 * closed list rather than free text, so that figures per sector add up across parties and
 * both languages can title each one. The list is a neutral taxonomy, not a rule: no party's
 * law is read from it. Colonial Pipeline falls under energy (Annex I 1(c), "operators of oil
 * transmission pipelines"), JBS under food (Annex II 4, "production, processing and
 * distribution of food").
 */
export const INCIDENT_SECTORS = [
  'energy',
  'transport',
  'banking',
  'financial-market-infrastructure',
  'health',
  'drinking-water',
  'waste-water',
  'digital-infrastructure',
  'ict-service-management',
  'public-administration',
  'space',
  'postal-and-courier',
  'waste-management',
  'chemicals',
  'food',
  'manufacturing',
  'digital-providers',
  'research',
  'other',
] as const;

export type IncidentSector = (typeof INCIDENT_SECTORS)[number];
