import { Injectable } from '@nestjs/common';

/** The time, behind a class so a test can move it (token expiry, session lifetime). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
