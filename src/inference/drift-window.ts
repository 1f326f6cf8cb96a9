/** Which captures each run of a `DriftMonitor` reads. */
export enum DriftWindow {
  /** The whole hour (UTC) before the scheduled time: `<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/`. */
  HOUR = 'HOUR',
  /** The whole day (UTC) before the scheduled time: `<prefix>/<endpoint>/<variant>/yyyy/mm/dd/`. */
  DAY = 'DAY',
}
