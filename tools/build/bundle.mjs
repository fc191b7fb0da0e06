#!/usr/bin/env node
// Bundles one app (or tool) entry into a single CommonJS file with esbuild.
// esbuild cannot emit decorator metadata, which Nest's injection and class-validator need,
// so workspace TypeScript goes through SWC first (legacy decorators + metadata).
//
//   node tools/build/bundle.mjs --entry apps/x/src/main.ts --outfile dist/apps/x/main.js [--self-contained]
//
// Without --self-contained, npm packages stay external (resolved from node_modules at run
// time). With it, everything is inlined so the file runs with plain `node` anywhere.
import { build } from 'esbuild';
import { transformFile } from '@swc/core';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { asciiOnly } from './ascii-only.cjs';

const { values } = parseArgs({
  options: {
    entry: { type: 'string' },
    outfile: { type: 'string' },
    'self-contained': { type: 'boolean', default: false },
    external: { type: 'string', multiple: true, default: [] },
  },
});
if (!values.entry || !values.outfile) {
  console.error('usage: bundle.mjs --entry <file.ts> --outfile <out.js> [--self-contained] [--external pkg]…');
  process.exit(2);
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const { compilerOptions } = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const aliases = new Map(Object.entries(compilerOptions.paths).map(([k, [v]]) => [k, path.join(root, v)]));

const swcPlugin = {
  name: 'swc-decorators',
  setup(b) {
    b.onResolve({ filter: /^@millrace\// }, (args) => {
      const target = aliases.get(args.path);
      if (!target) return { errors: [{ text: `unknown workspace import ${args.path}` }] };
      return { path: target };
    });
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const out = await transformFile(args.path, {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        // CommonJS, not ES modules: SWC compiles one file at a time and cannot tell an
        // interface from a class, so decorator metadata may reference a type-only import.
        // As ESM that is a hard "no matching export" bundle error; as CommonJS it reads
        // `undefined` and the metadata falls back to Object — exactly what tsc emits.
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      });
      return { contents: out.code, loader: 'js' };
    });
  },
};

// Packages Nest and @nestjs/terminus require lazily for features a self-contained app does
// not use (other ORMs' health indicators, microservices, websockets). Listing them keeps
// them — and any database driver — out of the bundle.
const optionalNest = [
  '@nestjs/mongoose',
  '@nestjs/sequelize',
  '@nestjs/sequelize/*',
  '@nestjs/typeorm',
  '@nestjs/typeorm/*',
  '@mikro-orm/core',
  '@mikro-orm/nestjs',
  '@grpc/grpc-js',
  '@grpc/proto-loader',
  '@prisma/client',
  'mongoose',
  'sequelize',
  'typeorm',
  'pg',
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  'class-transformer/storage',
  '@fastify/static',
];

const selfContained = values['self-contained'];
const result = await build({
  write: false,
  entryPoints: [path.resolve(root, values.entry)],
  outfile: path.resolve(root, values.outfile),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  keepNames: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  packages: selfContained ? undefined : 'external',
  external: selfContained ? [...optionalNest, ...values.external] : values.external,
  plugins: [swcPlugin],
});
// ASCII only: see ascii-only.cjs (V8 holds a source with one non-Latin-1 character as two bytes a character).
for (const file of result.outputFiles) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.path.endsWith('.js') ? asciiOnly(file.text) : file.text);
}
console.log(`bundled ${values.entry} -> ${values.outfile}`);
