import type { DeploymentSettings } from './index';
import type { WiringPart } from './resources';

/*
 * What a room adds to the local runner beyond its declared tables, queues and schedules (resources.ts): an option of
 * `npm start`, settings the runner runs with unless told otherwise, what it makes at start that the emulator lacks,
 * and what the banner says of it. The room writes its plug-in beside its code; lambdas/manifest/runner-plugins.ts
 * lists them, and the runner runs each in one loop, naming none.
 */

/** What a plug-in is given at start, once the emulator and the declared resources exist. */
export interface RunnerPluginContext {
  readonly settings: DeploymentSettings;
  /** The value of the plug-in's option (`npm start -- --<option> <value>`), if it has one and it was given. */
  readonly option: string | undefined;
  /** The runner's name prefix: what the plug-in makes is named `<prefix>-...`. */
  readonly prefix: string;
  readonly region: string;
  /** Whether AWS credentials were in the environment before the runner set its emulator's. */
  readonly userCredentials: boolean;
}

/** What a plug-in made at start. */
export interface RunnerPluginStart {
  /** Its part of the functions' wiring. */
  readonly wiring?: WiringPart;
  /** Lines for the runner's banner, after the resources. */
  readonly banner?: readonly string[];
  /** Fields for the runner's --ready-file, for the tools and tests that read it. */
  readonly ready?: Readonly<Record<string, unknown>>;
}

export interface RunnerPlugin {
  readonly name: string;
  /**
   * A command-line option of `npm start`: commander's flags (`--name <value>`, or `--name` alone for a switch), its
   * help, and the settings giving it stands for (over `-c`), if any.
   */
  readonly option?: {
    readonly flags: string;
    readonly description: string;
    /** The option's old flags, still taken (not in the help) with a deprecation note. */
    readonly deprecatedFlags?: string;
    readonly context?: Readonly<Record<string, string>>;
  };
  /** Settings the runner runs with unless cdk.json or `-c` say otherwise. */
  readonly contextDefaults?: Readonly<Record<string, string>>;
  /** What the functions run with instead, given the ports the runner itself serves on. */
  readonly functionSettings?: (
    settings: DeploymentSettings,
    ownPorts: readonly number[],
  ) => Partial<DeploymentSettings>;
  /** Before the handlers load: make what the emulator lacks. Throws what the user must change, in words. */
  readonly start?: (context: RunnerPluginContext) => Promise<RunnerPluginStart | undefined>;
  /** Banner lines from the settings alone, and the banner's "Try:" lines. */
  readonly banner?: (settings: DeploymentSettings) => readonly string[];
  readonly examples?: (settings: DeploymentSettings, apiUrl: string) => readonly string[];
}
