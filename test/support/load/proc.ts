/** What the load run reads about processes from /proc (Linux); the machine itself is in ../machine.ts. */
import { readdirSync, readFileSync } from 'node:fs';

/** One `VmXxx:  1234 kB` line of /proc/<pid>/status in MB, or undefined once the process is gone. */
function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory now. */
export const rssMb = (pid: number) => statusMb(pid, 'VmRSS');

/** Peak resident memory over the process's life (the kernel's high-water mark). */
export const peakRssMb = (pid: number) => statusMb(pid, 'VmHWM');

/** USER_HZ: /proc reports CPU time in these ticks per second (100 on every mainstream Linux). */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system, every thread) the process has used so far; undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name, which is in parentheses and may itself hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Direct children of a process (e.g. the moto server the runner started). */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** The command line of a process, for telling moto from anything else the runner may spawn. */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}
