import { IsOptional, IsString, Matches } from 'class-validator';
import { ConfigValidationError } from './config.errors';
import { DatabaseConfig } from './database.config';
import { loadConfig } from './load-config';
import { IsPort } from './port';
import { Secret } from './secret.decorator';

class SampleConfig extends DatabaseConfig {
  @IsPort()
  PORT = 8000;

  @Secret()
  @Matches(/^tok_/, { message: 'API_KEY must start with tok_' })
  API_KEY!: string;

  @IsOptional()
  @IsString()
  NOTE?: string;
}

const good = { DATABASE_URL: 'postgres://h/db', API_KEY: 'tok_1' };

describe('loadConfig', () => {
  it('reads, converts and freezes', () => {
    const c = loadConfig(SampleConfig, { ...good, PORT: '9000', DB_POOL_MAX: '3', UNRELATED: 'x' });
    expect(c).toMatchObject({ PORT: 9000, DB_POOL_MAX: 3, API_KEY: 'tok_1', LOG_LEVEL: 'info' });
    expect(Object.isFrozen(c)).toBe(true);
    expect((c as unknown as Record<string, unknown>)['UNRELATED']).toBeUndefined();
  });

  it('treats an empty variable as unset, so defaults apply', () => {
    expect(loadConfig(SampleConfig, { ...good, PORT: '' }).PORT).toBe(8000);
  });

  it('lists every bad variable at once', () => {
    let err: unknown;
    try {
      loadConfig(SampleConfig, { API_KEY: 'nope', PORT: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect((err as ConfigValidationError).problems.map((p) => p.variable).sort()).toEqual(['API_KEY', 'DATABASE_URL', 'PORT']);
  });

  it('never shows a secret value', () => {
    expect(() => loadConfig(SampleConfig, { ...good, API_KEY: 'hunter2' })).toThrow(/API_KEY must start with tok_ \(got a value that is secret\)/);
    expect(() => loadConfig(SampleConfig, { ...good, API_KEY: 'hunter2' })).not.toThrow(/hunter2/);
  });
});
