/**
 * How a receiver answers bad input, for the receivers whose behaviours choose per kind: a status with the
 * reason as its body, or a crash, after which every request fails as a dead process's would (until the
 * receiver is made again). One instance per receiver.
 */
import { HttpResponse } from 'msw';

export class BadInputAnswers {
  /** True once the receiver crashed. */
  crashed = false;

  /** The response to bad input the behaviour answers with `answer`: a status (the body says `why`) or a crash. */
  answer(answer: number | 'crash', why: string): Response {
    if (answer === 'crash') {
      this.crashed = true;
      return HttpResponse.error();
    }
    return HttpResponse.text(why, { status: answer });
  }

  /** An msw resolver, first in line: fails every request once the receiver crashed, else passes it on. */
  readonly whenCrashed = (): Response | undefined => (this.crashed ? HttpResponse.error() : undefined);
}
