// How long a failover may take, by the cluster's heartbeat settings (waba-api.md §6.4): what the
// failover drill, its timeline, Diagnose Cluster and the bench compare a measured takeover with.
import { getPath, settingDefault } from './settings';

/** The two settings failover follows, in seconds. */
export interface FailoverIntervals { heartbeat: number; unhealthy: number }

/** heartbeat_interval and unhealthy_interval as reported; Meta's default where one is missing or not a positive number. */
export function failoverIntervals(application: unknown): FailoverIntervals {
  const seconds = (path: string): number => {
    const value = Number(getPath(application, path));
    return value > 0 ? value : (settingDefault(path) as number);
  };
  return { heartbeat: seconds('heartbeat_interval'), unhealthy: seconds('unhealthy_interval') };
}

/**
 * Seconds from a node's death until its role has moved: unhealthy_interval + one heartbeat_interval.
 *
 * Meta's heartbeat-based monitoring marks a node unhealthy once it has answered no heartbeat for
 * unhealthy_interval; the masters look once per heartbeat, so the move comes at most one heartbeat
 * after last answer + unhealthy_interval. The drill counts from the kill, and the last answer always
 * comes before the kill (by up to one heartbeat), so counted from the kill the same bound holds, with
 * up to a heartbeat to spare; it is not a reason to add a second heartbeat. A second one would be owed
 * only if the count began at the first unanswered heartbeat, which Meta does not describe, and it would
 * put Meta's defaults at 40 s against the ≈35 s Meta gives (5 s + 30 s). Left out, and named beside a
 * measured figure rather than hidden in a larger bound: the standby connecting, the webapp reporting
 * the new owner, the drill's own look interval, and a fencing margin (the emulator waits ~0.6 s after a
 * claim expires, emulator/README.md).
 */
export function failoverBound(intervals: FailoverIntervals): number {
  return intervals.unhealthy + intervals.heartbeat;
}
