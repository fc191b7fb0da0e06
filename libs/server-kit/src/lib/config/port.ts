import { applyDecorators } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { ToInt } from './env.transformers';

/** A TCP port number (0 lets the kernel choose). */
export function IsPort(): PropertyDecorator {
  return applyDecorators(ToInt(), IsInt({ message: '$property must be an integer port number' }), Min(0), Max(65535));
}
