using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Verification;

/// <summary>
/// env-files hold secrets and per-host values and belong on the host, outside git (DESIGN §1.2, seed 002). This warns
/// when one is tracked by git or readable by every user of the machine. Warnings, not errors: the operator may have
/// reasons, but should hear about it before the next push.
/// </summary>
public sealed class EnvFileHygiene(IProcessRunner runner)
{
    /// <param name="spec">The git-tracked spec (its relative env-file paths resolve against its folder).</param>
    public async Task<IReadOnlyList<Diagnostic>> CheckAsync(Spec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var warnings = new List<Diagnostic>();
        foreach (var file in spec.CredentialsFiles.Concat(spec.EnvFiles))
        {
            var path = Path.GetFullPath(Path.Combine(spec.Directory, StackResolver.ExpandHome(file.Value)));
            if (!File.Exists(path)) continue;
            if (await IsTrackedByGitAsync(path, cancellationToken))
            {
                warnings.Add(Diagnostic.Warning(DiagnosticCodes.InvalidValue, $"env file {path} is tracked by git: its values would be in the repository's history",
                    file.Location, $"git rm --cached {Path.GetFileName(path)}, add it to .gitignore, and rotate the secrets it held"));
            }

            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.OtherRead) != 0)
            {
                warnings.Add(Diagnostic.Warning(DiagnosticCodes.InvalidValue, $"env file {path} is readable by every user of this machine",
                    file.Location, $"chmod 600 {path}"));
            }
        }

        return warnings;
    }

    private async Task<bool> IsTrackedByGitAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var result = await runner.RunAsync(new ProcessSpec("git", ["-C", Path.GetDirectoryName(path)!, "ls-files", "--error-unmatch", "--", Path.GetFileName(path)])
            {
                Timeout = TimeSpan.FromSeconds(30),
            }, cancellationToken);

            // Exit 0: tracked. Non-zero: untracked, or not inside a work tree at all; both are fine.
            return result.Succeeded;
        }
        catch (ToolNotFoundException)
        {
            // Without git nothing can be tracked by it.
            return false;
        }
    }
}
