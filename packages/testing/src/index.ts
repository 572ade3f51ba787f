export { requirement, type Requirement } from './requirement.ts';
export { ORIGIN, TREATY_ID, TREATY_PATH, keyAmendment, scenarioKeys, scenarioPolicy, testSeed, treatiesForStates, treatyWithKeys, type ScenarioKeys } from './scenario-fixture.ts';
export { best, percentile, report } from './bench.ts';
export { freePort, waitFor } from './net.ts';
export { repeatedScenario } from './long-scenario.ts';
export { REQUEST_ENDINGS, TRADE_ENDINGS_TESTED, towardEnding, type Choice } from './case-driver.ts';
export { approvedEntry, foundingRegistration, testOfficial, type TestOfficial } from './officials.ts';
export { BUILT_COMMAND, ensureBuilt } from './built-command.ts';
export { honestView } from './honest-views.ts';
