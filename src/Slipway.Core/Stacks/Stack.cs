using Slipway.Core.Diagnostics;

namespace Slipway.Core.Stacks;

/// <summary>
/// A stack on disk: its definition plus where its artifacts live. Each artifact is looked up first inside the
/// stack directory (self-contained layout), then at <c>&lt;stackdir&gt;/../../</c> (laconic-so's repository layout).
/// </summary>
public sealed class Stack
{
    private Stack(string directory, StackDefinition definition)
    {
        Directory = directory;
        Definition = definition;
    }

    public string Directory { get; }

    public StackDefinition Definition { get; }

    /// <summary>The stack's name: <c>name</c> from stack.yml, else the directory's name.</summary>
    public string Name => Definition.Name ?? System.IO.Path.GetFileName(Directory);

    public string HooksDirectory => System.IO.Path.Combine(Directory, "hooks");

    /// <summary>Loads <c>stack.yml</c> from <paramref name="directory"/>; throws <see cref="InvalidInputException"/> with every error.</summary>
    public static Stack Load(string directory, DiagnosticBag diagnostics)
    {
        directory = System.IO.Path.GetFullPath(directory);
        var file = System.IO.Path.Combine(directory, "stack.yml");
        if (!File.Exists(file))
        {
            var yaml = System.IO.Path.Combine(directory, "stack.yaml");
            if (!File.Exists(yaml))
            {
                throw new SlipwayException(
                    FailureReason.NotFound,
                    System.IO.Directory.Exists(directory)
                        ? $"stack.yml is missing from stack directory {directory}"
                        : $"stack {directory} does not exist",
                    "--stack takes the path of a directory holding stack.yml, or the name of a stack shipped with Slipway");
            }

            file = yaml;
        }

        var definition = StackParser.Parse(File.ReadAllText(file), file, diagnostics);
        diagnostics.ThrowIfErrors();
        return new Stack(directory, definition);
    }

    /// <summary>The compose file of a pod, or null when none exists.</summary>
    public string? ComposeFile(PodReference pod, string repositoryBase)
    {
        if (pod.IsExternal)
        {
            var repoDir = System.IO.Path.Combine(repositoryBase, System.IO.Path.GetFileName(pod.Repository!.TrimEnd('/')));
            var podDir = pod.Path is null ? repoDir : System.IO.Path.Combine(repoDir, pod.Path);
            return FirstExisting(
                System.IO.Path.Combine(podDir, "docker-compose.yml"),
                System.IO.Path.Combine(podDir, "docker-compose.yaml"),
                System.IO.Path.Combine(podDir, $"docker-compose-{pod.Name}.yml"));
        }

        return Artifact("compose", $"docker-compose-{pod.Name}.yml") ?? Artifact("compose", $"docker-compose-{pod.Name}.yaml");
    }

    public string? JobFile(string job) =>
        Artifact("compose-jobs", $"docker-compose-{job}.yml") ?? Artifact("compose-jobs", $"docker-compose-{job}.yaml");

    /// <summary>The folder holding the stack's config directories (<c>config/</c>), or null.</summary>
    public string? ConfigRoot => ArtifactDirectory("config");

    /// <summary>The build folder of a container image: <c>container-build/&lt;name with / replaced by -&gt;</c>.</summary>
    public string? ContainerBuildDirectory(string container) =>
        ArtifactDirectory(System.IO.Path.Combine("container-build", ContainerDirectoryName(container)));

    public static string ContainerDirectoryName(string container)
    {
        var name = container;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/')) name = name[..colon];
        return name.Replace('/', '-');
    }

    private string? Artifact(string folder, string fileName) =>
        FirstExisting(
            System.IO.Path.Combine(Directory, folder, fileName),
            System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, "..", "..", folder, fileName)));

    private string? ArtifactDirectory(string folder)
    {
        var inside = System.IO.Path.Combine(Directory, folder);
        if (System.IO.Directory.Exists(inside)) return inside;
        var beside = System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, "..", "..", folder));
        return System.IO.Directory.Exists(beside) ? beside : null;
    }

    private static string? FirstExisting(params string[] paths) => paths.FirstOrDefault(File.Exists);
}
