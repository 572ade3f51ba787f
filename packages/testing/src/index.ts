export { requirement, type Requirement } from './requirement.ts';
