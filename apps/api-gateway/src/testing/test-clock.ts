import { Clock } from '../common/clock';

/** Real time plus an offset a test can move forward. */
export class TestClock extends Clock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** From now on, time runs from `date`. */
  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now();
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}
