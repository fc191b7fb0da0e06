import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * Counts login attempts per client IP *and* email: one address cannot lock everybody out,
 * and guessing one account's password is slowed from any single IP.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const body = req['body'];
    const email = typeof body === 'object' && body !== null && typeof (body as { email?: unknown }).email === 'string' ? (body as { email: string }).email.trim().toLowerCase() : '';
    return Promise.resolve(`${String(req['ip'] ?? '')}|${email}`);
  }
}
