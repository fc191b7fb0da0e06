export * from './lib/http-client.errors';
export * from './lib/retry-policy';
export * from './lib/retrying-http.client';
