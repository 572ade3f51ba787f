/**
 * The operator's author name. The exchange signs entries with its log key (DESIGN.md
 * "Topology": it "proposes trades"); it may propose a trade after a clearing round, call off
 * one past its deadline, and attest handovers of a trade that names it as coordinator.
 * It never signs for a party.
 */
export const EXCHANGE_AUTHOR = 'exchange';
