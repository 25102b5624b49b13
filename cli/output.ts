/** Where a command writes: the process's streams, or a test's buffers. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The process's own streams. */
export const processOutput: Output = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Bad usage (an unknown option, a missing tsconfig): one clear line and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
