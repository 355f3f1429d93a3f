using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Processes;

/// <summary>A required executable (docker, kubectl, kind, a hook) could not be started.</summary>
internal sealed class ToolNotFoundException(string tool, Exception? inner = null)
    : SlipwayException(FailureReason.PrerequisiteMissing, $"'{tool}' could not be started: is it installed and on PATH?", "run the set-up command at the top of README.md", inner)
{
    public string Tool { get; } = tool;
}
