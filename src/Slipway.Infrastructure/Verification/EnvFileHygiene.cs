using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Verification;

/// <summary>
/// env-files hold secrets and per-host values and belong on the host, outside git. This warns
/// when one is tracked by git or readable by every user of the machine. Warnings, not errors: the operator may have
/// reasons, but should hear about it before the next push.
/// </summary>
internal sealed class EnvFileHygiene(Git git)
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
            if (await git.IsTrackedAsync(path, cancellationToken))
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
}
