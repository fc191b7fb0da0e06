import { Transform } from 'class-transformer';

/** Parses an integer environment value; anything else is left for validation to reject. */
export function ToInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
    return value;
  });
}

/** Parses `true`/`false`/`1`/`0`; anything else is left for validation to reject. */
export function ToBool(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const v = value.trim().toLowerCase();
      if (v === 'true' || v === '1') return true;
      if (v === 'false' || v === '0') return false;
    }
    return value;
  });
}
