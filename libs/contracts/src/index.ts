export * from './lib/agent-token.claims';
export * from './lib/service-token.claims';
export * from './lib/script-schema';
export * from './lib/agent-api.types';
