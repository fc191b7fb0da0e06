export * from './lib/agent-token.claims';
