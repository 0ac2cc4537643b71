/** The machine a measurement ran on, as every benchmark and the load run record it beside their figures. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  commit: string;
}

export function machineInfo(): MachineInfo {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: the figures stand without it.
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    commit,
  };
}

/** `2 cores (AMD EPYC), 24 GB, Linux 6.1, node v22.1.0, commit abc1234`: the line a results file opens with. */
export function describeMachine(m: MachineInfo = machineInfo()): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, ${m.os}, node ${m.node}, commit ${m.commit}`;
}

/** `uptime` as printed, or the load averages if the command is missing. */
export function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${loadAverages()}`;
  }
}

/** The 1, 5 and 15 minute load averages alone (`0.12, 0.30, 0.41`): what else the machine was doing. */
export function loadAverages(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');
}
