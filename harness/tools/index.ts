/** Tool resolution and pinned versions, for the runner and the CLI. */
export { resolveTool, type ResolvedTool, type ResolveToolOptions, type ToolName, type Platform } from './resolve-tool.ts';
export { DEFAULT_ISTIO_VERSIONS, KNOWN_ISTIO_VERSIONS, KIND_VERSION, KIND_NODE_IMAGE } from './versions.ts';
export { execaRunner, type CommandRunner, type CommandResult, type CommandOptions, type ProgressFn } from './command-runner.ts';
export { defaultCacheDir, toolCachePath } from './cache-dir.ts';
export { runSteps, type Step } from './run-steps.ts';
