using Slipway.Core.Compose;
using Slipway.Core.Config;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Core.Yaml;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Registry;

namespace Slipway.Infrastructure.Deployments;

/// <summary>
/// A deployment directory D, opened once per command: its layout, identity, spec copy, stack copy, config and the
/// rendered pod compose files, each read and parsed here and nowhere else. After something rewrites D (a sync, a
/// revision restore) the caller takes a fresh session with <see cref="Reload"/>; nothing reopens D behind it.
/// </summary>
public sealed class DeploymentSession
{
    private readonly Lazy<SourceSpec> _sourceSpec;

    private DeploymentSession(DeploymentLayout layout, DeploymentIdentity identity, Spec spec, StackDefinition stack, IReadOnlyList<DotEnvEntry> config,
        IReadOnlyList<string> secrets, IReadOnlyList<ComposeFile> podFiles, IReadOnlyList<string> overrideFiles, IReadOnlyList<ComposeFile> overrides)
    {
        Layout = layout;
        Identity = identity.File;
        ComposeProject = identity.ComposeProject;
        AdoptedFromLaconicSo = identity.AdoptedFromLaconicSo;
        AdoptionNote = identity.AdoptionNote;
        Spec = spec;
        Stack = stack;
        Config = config;
        PodFiles = podFiles;
        OverrideFiles = overrideFiles;
        Overrides = overrides;
        _sourceSpec = new Lazy<SourceSpec>(ReadSourceSpec);
        SecretValues = [.. secrets, .. RegistryTokenValue()];
    }

    public DeploymentLayout Layout { get; }

    public DeploymentFile Identity { get; }

    /// <summary>D's compose project: the deployment-id, or the cluster-id for a directory laconic-so made (see <see cref="DeploymentIdentity"/>).</summary>
    public string ComposeProject { get; }

    /// <summary>D was made by laconic-so and Slipway took it over, keeping its names.</summary>
    public bool AdoptedFromLaconicSo { get; }

    /// <summary>What this open did when it adopted a laconic-so directory just now (for the command to say); otherwise null.</summary>
    public string? AdoptionNote { get; }

    /// <summary>D/spec.yml: the copy of the spec the deployment was last created or synced from.</summary>
    public Spec Spec { get; }

    public DeployTarget Target => Spec.DeployTo;

    /// <summary>The copy of stack.yml in D: which pods, jobs and images this deployment has.</summary>
    public StackDefinition Stack { get; }

    /// <summary>D/config.env's entries, in file order.</summary>
    public IReadOnlyList<DotEnvEntry> Config { get; }

    /// <summary>
    /// Values that must never reach a log: generated secrets (<c>$generate:...$</c> in the spec), everything that came
    /// from env-files or credentials-files (keys of config.env the spec's config does not set to a literal), and the
    /// registry token (registry-credentials' token-env or token-file) when it can be read now.
    /// </summary>
    public IReadOnlyList<string> SecretValues { get; }

    /// <summary>D/compose/docker-compose-&lt;pod&gt;.yml of every pod of the stack, in stack order (whether or not the file exists).</summary>
    public IReadOnlyList<string> PodComposeFiles => [.. Stack.Pods.Select(p => Layout.PodComposeFile(p.Name))];

    /// <summary>The pod compose files that exist, parsed (the rendered copies in D, not the stack's sources).</summary>
    public IReadOnlyList<ComposeFile> PodFiles { get; }

    /// <summary>Host-local compose overrides (D/overrides/*.yml|yaml), applied after the pod files, in name order.</summary>
    public IReadOnlyList<string> OverrideFiles { get; }

    /// <summary>The override files, parsed.</summary>
    public IReadOnlyList<ComposeFile> Overrides { get; }

    /// <summary>service → image as the pod files declare it (a later file wins), without interpolation.</summary>
    public IReadOnlyDictionary<string, string> ServiceImages => ImagesOf(PodFiles);

    /// <summary>service → image as compose runs them: the pod files, then the host-local overrides (a later file wins).</summary>
    public IReadOnlyDictionary<string, string> ComposedServiceImages => ImagesOf([.. PodFiles, .. Overrides]);

    /// <summary>The services of every pod, in file order.</summary>
    public IReadOnlyList<string> PodServices => [.. PodFiles.SelectMany(f => f.Services).Select(s => s.Name).Distinct()];

    /// <summary>Every service D defines: the pods' and those the host-local overrides add, in file order.</summary>
    public IReadOnlyList<string> Services => [.. PodFiles.Concat(Overrides).SelectMany(f => f.Services).Select(s => s.Name).Distinct()];

    /// <summary>
    /// The services a started deployment must run: every service D defines but those behind a compose profile (which
    /// compose starts only when asked). This, not what happens to be running, is what verify, status and ps expect.
    /// </summary>
    public IReadOnlyList<string> ExpectedServices
    {
        get
        {
            var all = PodFiles.Concat(Overrides).SelectMany(f => f.Services).ToList();
            var profiled = all.Where(s => s.Profiles.Count > 0).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            return [.. all.Select(s => s.Name).Distinct().Where(n => !profiled.Contains(n))];
        }
    }

    /// <summary>
    /// Refuses (before anything runs) service names the command line gives that D does not define, with the nearest
    /// name as a suggestion: a typo is a usage error, not a failed deploy.
    /// </summary>
    public void RequireServices(IEnumerable<string> names) => RequireServices(names, Services);

    /// <summary>
    /// <see cref="RequireServices(IEnumerable{string})"/> for <c>restart --image SERVICE=IMAGE</c>: the service must be
    /// one a pod of D runs (an override file's service has no stack image to replace).
    /// </summary>
    public void RequireImageServices(IEnumerable<string> names) => RequireServices(names, PodServices);

    private void RequireServices(IEnumerable<string> names, IReadOnlyList<string> known)
    {
        var unknown = names.Where(n => !known.Contains(n, StringComparer.Ordinal)).Distinct().ToList();
        if (unknown.Count == 0) return;
        var suggestions = unknown.Select(n => DidYouMean.Suggest(n, known) is { } s ? $"'{n}': did you mean '{s}'?" : null).OfType<string>().ToList();
        var list = known.Count == 0 ? "D defines no services" : "services: " + string.Join(", ", known);
        throw new SlipwayException(FailureReason.Usage,
            $"{(unknown.Count == 1 ? "no service" : "no services")} {string.Join(", ", unknown.Select(n => $"'{n}'"))} in {Layout.Directory}; nothing was run",
            suggestions.Count == 0 ? list : $"{string.Join("; ", suggestions)} ({list})");
    }

    /// <summary>The named volumes the pod files declare, in first-declared order.</summary>
    public IReadOnlyList<string> DeclaredVolumes => [.. PodFiles.SelectMany(f => f.Volumes).Distinct()];

    /// <summary>
    /// Host directories of this D's bind-backed volumes (their data outlives --delete-volumes): where a relative spec
    /// path lies in D as it is now, so a moved D never names the folder it was rendered in (another D's, perhaps).
    /// </summary>
    public IReadOnlyList<string> HostPathVolumes
    {
        get
        {
            var misplaced = MisplacedBinds.ToDictionary(m => m.Volume, m => m.Expected, StringComparer.Ordinal);
            return [.. DeclaredVolumeStorage.Where(v => v.Value is not null).Select(v => misplaced.TryGetValue(v.Key, out var here) ? here : v.Value!).Distinct()];
        }
    }

    /// <summary>Each named volume D's compose files declare → the host folder behind it (an override's device wins), null for Docker's own storage.</summary>
    public IReadOnlyDictionary<string, string?> DeclaredVolumeStorage => StorageOf(PodFiles.Concat(Overrides));

    /// <summary>
    /// What <see cref="DeclaredVolumeStorage"/> would be for the files under <paramref name="root"/> (laid out as in D:
    /// stack.yml, config.env, compose/) with the overrides in <paramref name="overridesFolder"/>: a revision's snapshot.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> DeclaredVolumeStorageIn(string root, string overridesFolder)
    {
        var layout = new DeploymentLayout(root);
        var diagnostics = new DiagnosticBag();
        var stack = StackParser.Parse(InputFile.ReadText(layout.StackFile), layout.StackFile, diagnostics);
        var config = File.Exists(layout.ConfigEnv) ? DotEnvFile.Read(InputFile.ReadBytes(layout.ConfigEnv), layout.ConfigEnv, diagnostics) : [];
        diagnostics.ThrowIfErrors();
        var values = config.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var files = stack.Pods.Select(p => layout.PodComposeFile(p.Name)).Where(File.Exists).Concat(OverrideFilesIn(overridesFolder));
        return StorageOf(files.Select(f => ReadCompose(f, values)));
    }

    private static Dictionary<string, string?> StorageOf(IEnumerable<ComposeFile> files)
    {
        var storage = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var volume in file.Volumes)
            {
                if (file.VolumeDevices.TryGetValue(volume, out var device)) storage[volume] = device;
                else storage.TryAdd(volume, null);
            }
        }

        return storage;
    }

    private static List<string> OverrideFilesIn(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder)
                .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>
    /// The spec's relative volume paths whose bind in D's pod files is not where the path lies in this D: D was moved or
    /// renamed after it was rendered, and the files still bind the old place.
    /// </summary>
    public IReadOnlyList<MisplacedBind> MisplacedBinds
    {
        get
        {
            var bound = PodFiles.SelectMany(f => f.VolumeDevices).GroupBy(d => d.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            var misplaced = new List<MisplacedBind>();
            foreach (var volume in Spec.Volumes)
            {
                if (volume.Path is not { } path || Path.IsPathRooted(StackResolver.ExpandHome(path))) continue;
                if (!bound.TryGetValue(volume.Name, out var device)) continue;
                if (HostPaths.ResolveVolumePath(path, Layout.Directory) is not { } expected) continue;
                if (Path.TrimEndingDirectorySeparator(device) != expected) misplaced.Add(new MisplacedBind(volume.Name, path, device, expected));
            }

            return misplaced;
        }
    }

    /// <summary>Where D was last rendered (D/.slipway/created-in), null when D predates the record.</summary>
    public string? RenderedIn => File.Exists(Layout.CreatedIn) ? File.ReadAllText(Layout.CreatedIn).Trim() is { Length: > 0 } text ? text : null : null;

    /// <summary>The git-tracked spec D was made from (deployment.yml's spec-source), parsed once when first asked for.</summary>
    public SourceSpec Source => _sourceSpec.Value;

    /// <summary>The folder relative paths of the git-tracked spec resolve against (token files, env-files); D when it is gone.</summary>
    public string SpecDirectory => Identity.SpecSource is { } source && File.Exists(source) ? Path.GetDirectoryName(source)! : Layout.Directory;

    /// <summary>D as it is on disk now: the same directory opened again (after a sync or a restore rewrote it).</summary>
    public DeploymentSession Reload() => Open(Layout.Directory);

    public static DeploymentSession Open(string directory)
    {
        var layout = new DeploymentLayout(directory);
        if (File.Exists(layout.Directory))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"{directory} is a file, not a deployment directory");
        }

        if (!Directory.Exists(layout.Directory))
        {
            throw new SlipwayException(FailureReason.NotFound, $"deployment directory {directory} does not exist", "create it with 'slipway deploy create'");
        }

        if (!File.Exists(layout.DeploymentFile))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{directory} is not a deployment directory: it has no deployment.yml");
        }

        if (!File.Exists(layout.Spec))
        {
            throw new SlipwayException(FailureReason.NotFound, $"{layout.Spec} does not exist", "re-create the deployment with 'slipway deploy create --update'");
        }

        var identity = DeploymentIdentity.Read(layout);
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(InputFile.ReadText(layout.Spec), layout.Spec, diagnostics);
        var stack = StackParser.Parse(InputFile.ReadText(layout.StackFile), layout.StackFile, diagnostics);
        diagnostics.ThrowIfErrors();
        // A hand edit that broke config.env is an input error at its line, not a config silently cut short.
        var config = File.Exists(layout.ConfigEnv) ? DotEnvFile.Read(InputFile.ReadBytes(layout.ConfigEnv), layout.ConfigEnv, diagnostics) : [];
        diagnostics.ThrowIfErrors();
        var literals = spec.Config.Where(c => !GeneratedSecret.ContainsToken(c.Value)).ToDictionary(c => c.Key, c => c.Value);
        var secrets = config
            .Where(c => !literals.TryGetValue(c.Key, out var literal) || literal != c.Value)
            .Select(c => c.Value)
            .Where(v => v.Length > 0)
            .ToList();
        var values = config.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var podFiles = stack.Pods.Select(p => layout.PodComposeFile(p.Name)).Where(File.Exists).Select(f => ReadCompose(f, values)).ToList();
        var overrideFiles = OverrideFilesIn(layout.OverridesFolderPath);
        var overrides = overrideFiles.Select(f => ReadCompose(f, values)).ToList();
        return new DeploymentSession(layout, identity, spec, stack, config, secrets, podFiles, overrideFiles, overrides);
    }

    /// <summary>
    /// The registry token as the push will read it, so that every log and hook output redacts it even though D never
    /// stores it. Unreadable now means nothing to redact (the push reports why it has no token).
    /// </summary>
    private IEnumerable<string> RegistryTokenValue()
    {
        if (Spec.RegistryCredentials is not { } credentials) return [];
        try
        {
            return RegistryToken.Resolve(credentials, SpecDirectory, Environment.GetEnvironmentVariable) is { HasToken: true, Token: { } token } ? [token] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// A compose file of D, read for what Slipway needs to know about it. It was checked strictly when it was rendered
    /// (or is the operator's host-local override, which compose itself checks), so only a YAML syntax error counts here.
    /// </summary>
    private static ComposeFile ReadCompose(string path, IReadOnlyDictionary<string, string> config)
    {
        var diagnostics = new DiagnosticBag();
        var file = ComposeParser.Parse(InputFile.ReadText(path), path, diagnostics, key => config.TryGetValue(key, out var v) ? v : null);
        if (diagnostics.Items.FirstOrDefault(d => d.Code == DiagnosticCodes.YamlSyntax) is { } syntax) throw new InvalidInputException(syntax);
        return file;
    }

    private static Dictionary<string, string> ImagesOf(IEnumerable<ComposeFile> files) =>
        files.SelectMany(f => f.Services).Where(s => s.Image is { Length: > 0 })
            .GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Image!, StringComparer.Ordinal);

    private SourceSpec ReadSourceSpec()
    {
        if (Identity.SpecSource is not { } path || !File.Exists(path)) return new SourceSpec(null, []);
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(InputFile.ReadText(path), path, diagnostics);
        return new SourceSpec(diagnostics.HasErrors ? null : spec, diagnostics.Sorted());
    }
}

/// <summary>A relative spec volume whose bind in D's files points elsewhere than where its path lies in D now.</summary>
public sealed record MisplacedBind(string Volume, string SpecPath, string Bound, string Expected);
