/** Where the pipeline tells a human what it is doing; the CLI writes it to stderr. */
export interface Reporter {
  /** A stage finished (or started, when ms is undefined). */
  stage(name: string, detail: string, ms?: number): void;
  info(message: string): void;
  warn(message: string): void;
}

export const silentReporter: Reporter = {
  stage: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
