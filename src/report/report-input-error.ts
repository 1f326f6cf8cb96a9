/**
 * A problem with the report tool's input (a missing directory, a malformed file, a synthesis the pack did not run
 * in): the user can fix it, so the CLI prints the message alone and exits with 2.
 */
export class ReportInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}
