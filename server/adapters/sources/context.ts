import type { Logger } from 'pino';
import type { BackoffOptions } from '../../core/backoff';
import type { Matcher } from '../../core/tracking';
import type { Clock } from '../../ports';
import type { SourceBufferOptions } from './buffer';

/** What every live connector is given by the wiring point. */
export interface SourceContext {
  clock: Clock;
  logger: Logger;
  /** Decides whether a post is about the brand (from the tracking configuration). */
  matcher: Matcher;
  /** Called when a source's state or error changes, so the wall hears at once. */
  onHealthChange: () => void;
  /** A draw in [0, 1) for backoff jitter; Math.random unless a test pins it. */
  random?: () => number;
  /** Reconnect backoff; tests shorten it. */
  backoff?: BackoffOptions;
  /** Bounds of the source's buffer. */
  buffer?: SourceBufferOptions;
}
