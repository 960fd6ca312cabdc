/**
 * Makes any receiver of mocks/ write two log lines for every message it processes, a parse line and a summary
 * line, as many real receivers do. The receiver records into its own file ({@link DoubleLog.receiverFile});
 * each line it writes there is copied twice, as it comes, into the file pushcheck observes. What the receiver
 * processes, and how often, is unchanged: a case that reads the records against a genuine message's (issue
 * 20) passes it where the receiver passes, and fails it where the receiver fails.
 */
import { appendFileSync, closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface DoubleLog {
  /** The file to give the receiver as the one it records processed messages in. */
  readonly receiverFile: string;
  /** Copies what is left, then stops. */
  close(): void;
}

/** How often the receiver's file is read, in milliseconds: a logger flushing its buffer. */
const COPY_EVERY_MS = 5;

/** Starts copying each line of the receiver's file into `observeFile` twice. */
export function doubleLog(observeFile: string): DoubleLog {
  const receiverFile = `${observeFile}.receiver`;
  let position = 0;
  let partial = '';
  const copy = (): void => {
    let fd: number;
    try {
      fd = openSync(receiverFile, 'r');
    } catch {
      return; // nothing processed yet
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= position) return;
      const chunk = Buffer.alloc(size - position);
      position += readSync(fd, chunk, 0, chunk.length, position);
      // latin1 keeps every byte as it is, whatever the receiver's encoding.
      const lines = (partial + chunk.toString('latin1')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        appendFileSync(observeFile, `parsed: ${line}\n`, 'latin1');
        appendFileSync(observeFile, `processed: ${line}\n`, 'latin1');
      }
    } finally {
      closeSync(fd);
    }
  };
  const timer = setInterval(copy, COPY_EVERY_MS);
  return {
    receiverFile,
    close() {
      clearInterval(timer);
      copy();
    },
  };
}
