export * from './lib/tag-syntax';
export * from './lib/tag-resolution';
export * from './lib/tag-resolution.error';
