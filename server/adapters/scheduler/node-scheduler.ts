import cron from 'node-cron';

/** Cancels a scheduled job. */
export type Cancel = () => void;

/** Runs work on a timer; the only place the server schedules anything. */
export interface Scheduler {
  /** Calls `fn` every `ms` milliseconds. */
  every(ms: number, fn: () => void): Cancel;
  /** Calls `fn` on a cron schedule (node-cron syntax, local time). */
  cron(expression: string, fn: () => void): Cancel;
}

/** The Node.js scheduler: setInterval for ticks, node-cron for housekeeping jobs. */
export function createNodeScheduler(): Scheduler {
  return {
    every(ms, fn) {
      const timer = setInterval(fn, ms);
      return () => clearInterval(timer);
    },
    cron(expression, fn) {
      const task = cron.schedule(expression, fn);
      return () => void task.stop();
    }
  };
}
