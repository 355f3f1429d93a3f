using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Files;

namespace Slipway.Core.Stacks;

/// <summary>
/// A dict pod's <c>pre_start_command</c> / <c>post_start_command</c>: a script named relative to the folder of the pod's
/// compose file, run before / after its compose up with <c>CERC_SO_COMPOSE_PROJECT</c> set. deploy create copies each
/// into <c>D/pods/&lt;pod&gt;/scripts/</c>, as laconic-so does, so a deployment runs what it was created with.
/// </summary>
public static class PodScripts
{
    public const string ProjectVariable = "CERC_SO_COMPOSE_PROJECT";

    /// <summary>Where D keeps the script: <c>pods/&lt;pod&gt;/scripts/&lt;file name&gt;</c>.</summary>
    public static string RenderedPath(string pod, string command) => $"pods/{pod}/scripts/{Path.GetFileName(command)}";

    /// <summary>Where the stack keeps it: relative to the folder of the pod's compose file.</summary>
    public static string SourcePath(string composeFile, string command) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(composeFile)!, command));

    /// <summary>The pod's commands in run order for <paramref name="post"/> false (pre) or true (post).</summary>
    public static string? Command(PodReference pod, bool post) => post ? pod.PostStartCommand : pod.PreStartCommand;

    /// <summary>Copies of every pod's scripts for D (executable); a missing script is an error at the pod's entry.</summary>
    public static IReadOnlyList<RenderedFile> Render(StackBundle bundle, IHostFiles files, DiagnosticBag diagnostics)
    {
        var rendered = new List<RenderedFile>();
        foreach (var pod in bundle.Stack.Definition.Pods)
        {
            var compose = bundle.Pods.FirstOrDefault(p => p.Name == pod.Name);
            if (compose is null) continue;
            foreach (var command in new[] { pod.PreStartCommand, pod.PostStartCommand }.OfType<string>().Distinct(StringComparer.Ordinal))
            {
                var source = SourcePath(compose.SourcePath, command);
                if (!files.FileExists(source))
                {
                    diagnostics.Error(DiagnosticCodes.NotFound, $"pod '{pod.Name}': start command {command} not found (looked for {source}, next to the pod's compose file)", pod.Location);
                    continue;
                }

                rendered.Add(new RenderedFile(RenderedPath(pod.Name, command), files.ReadBytes(source), Executable: true));
            }
        }

        return rendered;
    }
}
