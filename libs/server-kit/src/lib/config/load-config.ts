import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ConfigProblem, ConfigValidationError } from './config.errors';
import { isSecret } from './secret.decorator';

type Env = Record<string, string | undefined>;

/**
 * Reads the environment into a typed config object, once, at boot. This is the only place
 * in Millrace that reads `process.env`; apps pass the result around by injection.
 *
 * Config classes name their properties after the variables (`DATABASE_URL`), declare
 * defaults inline and validate with class-validator. Empty strings count as unset.
 */
export function loadConfig<T extends object>(cls: new () => T, env: Env = process.env): T {
  const defaults = new cls() as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) plain[key] = defaults[key];
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') plain[key] = value;
  }
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false, exposeDefaultValues: true });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true, stopAtFirstError: true });
  if (errors.length > 0) {
    throw new ConfigValidationError(errors.map((e) => describe(cls, e, plain)));
  }
  return Object.freeze(instance);
}

function describe(cls: object, error: ValidationError, plain: Record<string, unknown>): ConfigProblem {
  const variable = error.property;
  const reasons = Object.values(error.constraints ?? {}).join(', ');
  const raw = plain[variable];
  const shown = raw === undefined ? 'unset' : isSecret(cls, variable) ? 'got a value that is secret' : `got ${JSON.stringify(raw)}`;
  return { variable, message: `${variable}: ${reasons} (${shown})` };
}
