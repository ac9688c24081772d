// A refusal that tells the client when to come back: 503 (the server is busy or cannot
// check something it must) or 429 (this client asked too often), with Retry-After, so
// that nothing waits in a queue without end.
import { AppError } from './errors';

export class RetryLaterError extends AppError {
  constructor(status: 429 | 503, code: string, message: string, retryAfterSeconds: number) {
    super(status, code, message);
    this.name = 'RetryLaterError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
