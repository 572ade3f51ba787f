/**
 * The pieces of @evenhand/core the console runs in the browser, through the core's
 * browser-safe entry point (no trade clearing and its WebAssembly solver).
 */
export { entryBodySchemas, EVIDENCE_KINDS, evaluate, INCIDENT_SECTORS, REQUEST_RELATIONS, type Evaluation, type GroundInvocation, type Treaty } from '@evenhand/core/rules';
