import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.includes(e.property) ? m.replace(e.property, field) : `${field}: ${m}`));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Whitelisting, unknown fields refused, and a 400 whose message names each bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(flatten(errors).join('; ')),
  });
}
