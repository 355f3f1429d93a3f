using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Verification;

/// <summary>
/// env-files (and a registry token file) hold secrets and per-host values and belong on the host, outside git. This warns
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
        var files = spec.CredentialsFiles.Concat(spec.EnvFiles).Select(f => (f.Value, f.Location, What: "env file")).ToList();
        if (spec.RegistryCredentials is { TokenFile: { } tokenFile } credentials) files.Add((tokenFile, credentials.Location, What: "registry token file"));
        foreach (var (value, location, what) in files)
        {
            var path = Path.GetFullPath(Path.Combine(spec.Directory, StackResolver.ExpandHome(value)));
            if (!File.Exists(path)) continue;
            if (await git.IsTrackedAsync(path, cancellationToken))
            {
                warnings.Add(Diagnostic.Warning(DiagnosticCodes.InvalidValue, $"{what} {path} is tracked by git: its values would be in the repository's history",
                    location, $"git rm --cached {Path.GetFileName(path)}, add it to .gitignore, and rotate the secrets it held"));
            }

            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.OtherRead) != 0)
            {
                warnings.Add(Diagnostic.Warning(DiagnosticCodes.InvalidValue, $"{what} {path} is readable by every user of this machine",
                    location, $"chmod 600 {path}"));
            }
        }

        return warnings;
    }
}
