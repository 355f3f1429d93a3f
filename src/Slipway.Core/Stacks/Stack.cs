using Slipway.Core.Diagnostics;
using Slipway.Core.Files;

namespace Slipway.Core.Stacks;

/// <summary>
/// A stack on disk: its definition plus where its artifacts live. Each artifact is looked up first inside the
/// stack directory (self-contained layout), then at <c>&lt;stackdir&gt;/../../</c> (laconic-so's repository layout), then
/// in laconic-so's data folders (its own compose/, config/, ... that an external stack may lean on, as laconic-so falls back to them).
/// </summary>
public sealed class Stack
{
    private Stack(string directory, StackDefinition definition, IHostFiles files, IReadOnlyList<string> fallbackRoots)
    {
        Directory = directory;
        Definition = definition;
        Files = files;
        _fallbackRoots = fallbackRoots;
    }

    private readonly IReadOnlyList<string> _fallbackRoots;

    public string Directory { get; }

    public StackDefinition Definition { get; }

    /// <summary>Where the stack's artifacts are looked up and read.</summary>
    internal IHostFiles Files { get; }

    /// <summary>The stack's name: <c>name</c> from stack.yml, else the directory's name.</summary>
    public string Name => Definition.Name ?? Path.GetFileName(Directory);

    public string HooksDirectory => Path.Combine(Directory, "hooks");

    /// <summary>Loads <c>stack.yml</c> from <paramref name="directory"/>; throws <see cref="InvalidInputException"/> with every error.</summary>
    /// <param name="podsRequired">False where the stack is only built or cloned, never deployed (see <see cref="StackParser.Parse"/>).</param>
    /// <param name="fallbackRoots">laconic-so's data folders, looked in last for compose, compose-jobs, config and container-build.</param>
    public static Stack Load(string directory, IHostFiles files, DiagnosticBag diagnostics, bool podsRequired = true, IReadOnlyList<string>? fallbackRoots = null)
    {
        directory = Path.GetFullPath(directory);
        var file = Path.Combine(directory, "stack.yml");
        if (!files.FileExists(file))
        {
            var yaml = Path.Combine(directory, "stack.yaml");
            if (!files.FileExists(yaml))
            {
                throw new SlipwayException(
                    FailureReason.NotFound,
                    files.DirectoryExists(directory)
                        ? $"stack.yml is missing from stack directory {directory}"
                        : $"stack {directory} does not exist",
                    "--stack takes the path of a directory holding stack.yml, or the name of a stack shipped with Slipway");
            }

            file = yaml;
        }

        var definition = StackParser.Parse(files.ReadText(file), file, diagnostics, podsRequired);
        diagnostics.ThrowIfErrors();
        return new Stack(directory, definition, files, fallbackRoots ?? []);
    }

    /// <summary>The compose file of a pod, or null when none exists.</summary>
    public string? ComposeFile(PodReference pod, string repositoryBase)
    {
        if (pod.IsExternal)
        {
            var repoDir = Path.Combine(repositoryBase, Path.GetFileName(pod.Repository!.TrimEnd('/')));
            var podDir = pod.Path is null ? repoDir : Path.Combine(repoDir, pod.Path);
            return FirstExisting(
                Path.Combine(podDir, "docker-compose.yml"),
                Path.Combine(podDir, "docker-compose.yaml"),
                Path.Combine(podDir, $"docker-compose-{pod.Name}.yml"));
        }

        return Artifact("compose", $"docker-compose-{pod.Name}.yml", $"docker-compose-{pod.Name}.yaml");
    }

    public string? JobFile(string job) =>
        Artifact("compose-jobs", $"docker-compose-{job}.yml", $"docker-compose-{job}.yaml");

    /// <summary>The folder holding the stack's config directories (<c>config/</c>), or null.</summary>
    public string? ConfigRoot => ArtifactDirectory("config");

    /// <summary><see cref="ConfigRoot"/> of the stack in <paramref name="directory"/> without reading its stack.yml (start has only D's record of the stack).</summary>
    public static string? ConfigRootOf(string directory, IHostFiles files, IReadOnlyList<string>? fallbackRoots = null) =>
        new Stack(Path.GetFullPath(directory), new StackDefinition { FilePath = Path.Combine(directory, "stack.yml") }, files, fallbackRoots ?? []).ConfigRoot;

    /// <summary>The build folder of a container image: <c>container-build/&lt;name with / replaced by -&gt;</c>.</summary>
    public string? ContainerBuildDirectory(string container) =>
        ArtifactDirectory(Path.Combine("container-build", ContainerDirectoryName(container)));

    public static string ContainerDirectoryName(string container)
    {
        var name = container;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/')) name = name[..colon];
        return name.Replace('/', '-');
    }

    /// <summary>Where artifacts are looked for, in order: the stack folder, two levels up, laconic-so's data folders.</summary>
    private IEnumerable<string> ArtifactRoots() =>
        new[] { Directory, Path.GetFullPath(Path.Combine(Directory, "..", "..")) }.Concat(_fallbackRoots.Select(r => Path.GetFullPath(r)));

    /// <summary>The first root holding one of the names wins (a stack's own .yaml over a fallback's .yml).</summary>
    private string? Artifact(string folder, params string[] fileNames) =>
        FirstExisting([.. ArtifactRoots().SelectMany(root => fileNames.Select(name => Path.Combine(root, folder, name)))]);

    private string? ArtifactDirectory(string folder) =>
        ArtifactRoots().Select(root => Path.Combine(root, folder)).FirstOrDefault(Files.DirectoryExists);

    private string? FirstExisting(params string[] paths) => paths.FirstOrDefault(Files.FileExists);
}
