import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isValidTag } from '@millrace/tags';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsString, registerDecorator, ValidationArguments } from 'class-validator';
import { MaxBytes } from '../../common/validation.util';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_ENV_VARS = 200;
const MAX_ENV_VALUE_BYTES = 32 * 1024;

/** Every element is a tag as @millrace/tags defines it. */
function IsTagList(): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isTagList',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: {
        message: (a: ValidationArguments) => {
          const bad = Array.isArray(a.value) ? (a.value as unknown[]).find((t) => typeof t !== 'string' || !isValidTag(t)) : a.value;
          return `${a.property}: ${JSON.stringify(bad)} is not a valid tag (1-100 characters of A-Z a-z 0-9 _ . : -)`;
        },
      },
      validator: { validate: (v: unknown) => Array.isArray(v) && v.every((t) => typeof t === 'string' && isValidTag(t)) },
    });
}

/** `{NAME: "value"}` with shell-safe names and bounded size. */
function IsEnvMap(): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isEnvMap',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: {
        message: (a: ValidationArguments) =>
          `${a.property} must be an object of at most ${MAX_ENV_VARS} variables: names like MY_VAR (letters, digits, _), string values of at most ${MAX_ENV_VALUE_BYTES} bytes`,
      },
      validator: {
        validate: (v: unknown) => {
          if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
          const entries = Object.entries(v);
          return entries.length <= MAX_ENV_VARS && entries.every(([k, val]) => ENV_NAME.test(k) && typeof val === 'string' && Buffer.byteLength(val, 'utf8') <= MAX_ENV_VALUE_BYTES);
        },
      },
    });
}

export class UpdateWorkerGroupConfigDto {
  @ApiProperty({ type: [String], example: ['bash', 'python3', 'nodejs', 'flow', 'dependency'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'worker_tags must not repeat a tag' })
  @IsTagList()
  worker_tags!: string[];

  @ApiPropertyOptional({ description: 'bash run once when a worker of the group starts' })
  @IsOptional()
  @IsString()
  @MaxBytes(100 * 1024)
  init_bash?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { HTTP_PROXY: 'http://proxy:3128' } })
  @IsOptional()
  @IsEnvMap()
  env?: Record<string, string>;
}
