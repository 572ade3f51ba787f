/** The demo's ports: apart from demo-setup.ts, so that the command line reads them without loading the services. */
export interface DemoPorts {
  readonly exchange: number;
  readonly witness: number;
  /** Each state's gateway, by party id. */
  readonly gateways: Readonly<Record<string, number>>;
}

export const DEFAULT_PORTS: DemoPorts = { exchange: 8700, witness: 8701, gateways: { US: 8710, RU: 8720 } };
