import type { ScriptLanguage } from '../execution.types';
import { BashRunner } from './bash.runner';
import type { LanguageRunner } from './language-runner.types';
import { NODE_WRAPPER } from './node-wrapper.source';
import { PYTHON_WRAPPER } from './python-wrapper.source';
import { WrappedRunner } from './wrapped.runner';

const python = new WrappedRunner({
  label: 'python3',
  scriptFile: 'main.py',
  wrapperFile: 'wrapper.py',
  wrapperSource: PYTHON_WRAPPER,
  command: (s) => s.python3Command,
  // Unbuffered, so prints and tracebacks reach the log in the order they happened.
  env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
});

// TypeScript reaches workers compiled to JavaScript, so it runs exactly like nodejs.
const node = new WrappedRunner({
  label: 'node',
  scriptFile: 'main.js',
  wrapperFile: 'wrapper.mjs',
  wrapperSource: NODE_WRAPPER,
  command: (s) => s.nodeCommand,
  env: {},
});

const bash = new BashRunner();

export function runnerFor(language: ScriptLanguage): LanguageRunner {
  switch (language) {
    case 'bash':
      return bash;
    case 'python3':
      return python;
    case 'nodejs':
    case 'typescript':
      return node;
  }
}
