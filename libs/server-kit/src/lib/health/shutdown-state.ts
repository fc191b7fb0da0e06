import { Injectable } from '@nestjs/common';

/** Set once the process starts draining, so readiness turns down before the server closes. */
@Injectable()
export class ShutdownState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  startDraining(): void {
    this.draining = true;
  }
}
