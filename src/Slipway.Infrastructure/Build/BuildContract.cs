using System.Globalization;

namespace Slipway.Infrastructure.Build;

/// <summary>
/// laconic-so's build-script contract: the variables a container's build.sh gets, and the folder
/// <c>CERC_CONTAINER_BASE_DIR</c> names. That is the stack's container-build root when it ships build-base.sh;
/// otherwise a temporary view of that root (a symbolic link per entry) plus Slipway's build-base.sh and
/// default-build.sh, so <c>source $CERC_CONTAINER_BASE_DIR/build-base.sh</c> and
/// <c>$CERC_CONTAINER_BASE_DIR/cerc-foo/...</c> both work without Slipway writing into the stack.
/// </summary>
internal sealed class BuildContract : IDisposable
{
    public const string BuildBaseScript = "build-base.sh";
    public const string DefaultBuildScript = "default-build.sh";

    private readonly string? _view;

    private BuildContract(string baseDirectory, string? view, bool shipped)
    {
        BaseDirectory = baseDirectory;
        _view = view;
        ShipsBuildBase = shipped;
    }

    /// <summary>What <c>CERC_CONTAINER_BASE_DIR</c> is.</summary>
    public string BaseDirectory { get; }

    /// <summary>The stack's own container-build root has a build-base.sh (else Slipway's is used).</summary>
    public bool ShipsBuildBase { get; }

    public static BuildContract For(string containerBuildRoot)
    {
        if (File.Exists(Path.Combine(containerBuildRoot, BuildBaseScript))) return new BuildContract(containerBuildRoot, null, true);
        var view = Directory.CreateTempSubdirectory("slipway-container-build-").FullName;
        foreach (var entry in Directory.EnumerateFileSystemEntries(containerBuildRoot))
        {
            File.CreateSymbolicLink(Path.Combine(view, Path.GetFileName(entry)), entry);
        }

        foreach (var script in new[] { BuildBaseScript, DefaultBuildScript })
        {
            var target = Path.Combine(view, script);
            if (File.Exists(target)) continue; // the stack ships this one
            File.WriteAllText(target, ShippedScript(script));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return new BuildContract(view, view, false);
    }

    public static string ShippedScript(string name)
    {
        using var stream = typeof(BuildContract).Assembly.GetManifestResourceStream("Slipway.Build." + name)
            ?? throw new InvalidOperationException($"the build script {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The variables of the contract for one container's script (over the inherited environment, which keeps
    /// PATH, DOCKER_HOST and CERC_NPM_* / CERC_GO_AUTH_TOKEN). A null value removes the variable.
    /// </summary>
    public Dictionary<string, string?> Environment(BuildScriptInputs inputs)
    {
        var (uid, gid) = HostIds();
        return new Dictionary<string, string?>
        {
            ["CERC_CONTAINER_BASE_DIR"] = BaseDirectory,
            ["CERC_REPO_BASE_DIR"] = inputs.RepositoryBase,
            ["CERC_HOST_UID"] = uid,
            ["CERC_HOST_GID"] = gid,
            ["CERC_DEFAULT_CONTAINER_IMAGE_TAG"] = inputs.LocalTag,
            ["CERC_FORCE_REBUILD"] = inputs.ForceRebuild ? "true" : null,
            ["CERC_CONTAINER_EXTRA_BUILD_ARGS"] = inputs.ExtraBuildArgs,
            // laconic-so's default: the classic builder, unless the operator chose otherwise.
            ["DOCKER_BUILDKIT"] = inputs.DockerBuildKit ?? "0",
            ["CERC_SCRIPT_DEBUG"] = inputs.Debug ? "true" : null,
            ["SLIPWAY_IMAGE_TAG"] = inputs.ImmutableTag,
            ["SLIPWAY_BUILD_ARGS"] = inputs.ExtraBuildArgs,
            ["SLIPWAY_FORCE_REBUILD"] = inputs.ForceRebuild ? "true" : null,
        };
    }

    /// <summary>This process's real uid and gid (from /proc on Linux); null elsewhere.</summary>
    internal static (string? Uid, string? Gid) HostIds()
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status)) return (null, null);
        string? uid = null, gid = null;
        foreach (var line in File.ReadLines(Status))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal)) uid = FirstField(line);
            else if (line.StartsWith("Gid:", StringComparison.Ordinal)) gid = FirstField(line);
        }

        return (uid, gid);

        static string? FirstField(string line) =>
            line[4..].Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] && uint.TryParse(first, CultureInfo.InvariantCulture, out _) ? first : null;
    }

    public void Dispose()
    {
        if (_view is null) return;
        try
        {
            Directory.Delete(_view, recursive: true); // removes the links, never what they point to
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

/// <summary>What one container's build script is told.</summary>
internal sealed record BuildScriptInputs(string LocalTag, string ImmutableTag, string RepositoryBase, bool ForceRebuild, string ExtraBuildArgs, bool Debug, string? DockerBuildKit);
