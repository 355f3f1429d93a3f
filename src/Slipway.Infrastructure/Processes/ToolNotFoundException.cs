using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Processes;

/// <summary>
/// A required executable (docker, kubectl, kind, a hook) could not be started. A file that exists but the kernel
/// refuses (a build.sh or hook without its #! line) is named as such, not as missing from PATH.
/// </summary>
internal sealed class ToolNotFoundException(string tool, Exception? inner = null)
    : SlipwayException(
        IsUnrunnableFile(tool) ? FailureReason.InvalidInput : FailureReason.PrerequisiteMissing,
        IsUnrunnableFile(tool)
            ? $"'{tool}' exists but could not be started{(inner is null ? "" : $" ({inner.Message})")}: a script needs its interpreter on its first line"
            : $"'{tool}' could not be started: is it installed and on PATH?",
        IsUnrunnableFile(tool)
            ? "start it with a #! line, e.g. #!/usr/bin/env bash (as laconic-so's build.sh scripts do), and make it executable"
            : "run the set-up command at the top of README.md",
        inner)
{
    public string Tool { get; } = tool;

    private static bool IsUnrunnableFile(string tool) => tool.Contains('/', StringComparison.Ordinal) && File.Exists(tool);
}
