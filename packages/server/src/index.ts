export { buildGatewayApp, type GatewayOptions, type GatewayParts } from './gateway/gateway-app.ts';
export { startGateway, type GatewayConfig, type RunningGateway } from './gateway/start-gateway.ts';
export { loadEntrySeed, loadSealKey, publicJwkOf, KeyFileError } from './gateway/key-files.ts';
export type { Alarm, AlarmCode } from './gateway/alarms.ts';
