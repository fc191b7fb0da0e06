import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** A string whose UTF-8 encoding is at most `max` bytes (limits are about storage, not characters). */
export function MaxBytes(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) => {
    registerDecorator({
      name: 'maxBytes',
      target: target.constructor,
      propertyName: String(propertyKey),
      constraints: [max],
      options: { message: (a: ValidationArguments) => `${a.property} must be at most ${max} bytes`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && Buffer.byteLength(value, 'utf8') <= max,
      },
    });
  };
}

/** A plain JSON object (not an array, not null), at most `maxBytes` once serialized. */
export function IsJsonObject(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) => {
    registerDecorator({
      name: 'isJsonObject',
      target: target.constructor,
      propertyName: String(propertyKey),
      constraints: [maxBytes],
      options: { message: (a: ValidationArguments) => `${a.property} must be a JSON object of at most ${maxBytes} bytes`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && !Array.isArray(value) && Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxBytes,
      },
    });
  };
}
