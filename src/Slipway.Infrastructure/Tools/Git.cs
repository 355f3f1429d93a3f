using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tools;

/// <summary>
/// The git CLI, always as <c>git -C DIR ...</c> and never waiting for a password prompt nobody will answer
/// (credentials come from the operator's own git setup: helpers, agents, keys).
/// </summary>
public sealed class Git(IProcessRunner runner, string executable = "git")
{
    public static readonly TimeSpan LocalTimeout = TimeSpan.FromSeconds(30);

    public string Executable { get; } = executable;

    public Task<ProcessResult> RunAsync(string directory, IReadOnlyList<string> args, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        runner.RunAsync(new ProcessSpec(Executable, ["-C", directory, .. args])
        {
            Environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0" },
            Timeout = timeout ?? LocalTimeout,
        }, cancellationToken);

    /// <summary>Stdout when the command succeeds; null when it fails or git is not installed (questions that have a fallback).</summary>
    public async Task<string?> TryAsync(string directory, IReadOnlyList<string> args, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        try
        {
            var result = await RunAsync(directory, args, cancellationToken, timeout);
            return result.Succeeded ? result.StandardOutput : null;
        }
        catch (ToolNotFoundException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="path"/> is tracked in the work tree around it; false when untracked, outside git, or without git.</summary>
    public async Task<bool> IsTrackedAsync(string path, CancellationToken cancellationToken) =>
        await TryAsync(Path.GetDirectoryName(path)!, ["ls-files", "--error-unmatch", "--", Path.GetFileName(path)], cancellationToken) is not null;

    /// <summary>The nearest <c>.git</c> (folder, or file of a linked work tree) at or above <paramref name="folder"/>, without running git.</summary>
    public static string? FindWorkTreeMarker(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            var marker = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(marker) || File.Exists(marker)) return marker;
        }

        return null;
    }
}
