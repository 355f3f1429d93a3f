using Slipway.Core.Stacks;

namespace Slipway.Infrastructure.Hooks;

/// <summary>Finds laconic-so's commands.py files a stack brings (its own, and each repository pod's) and words what Slipway does not run.</summary>
internal static class PythonHookWarnings
{
    /// <param name="repositoryBase">The dev root the repository pods are in.</param>
    /// <param name="startPorted">Whether the spec has hooks.post-deploy, where a start() hook goes.</param>
    public static IReadOnlyList<string> For(Stack stack, string repositoryBase, bool startPorted = false)
    {
        var files = new List<string> { Path.Combine(stack.Directory, PythonHooks.RelativePath) };
        foreach (var pod in stack.Definition.Pods.Where(p => p.IsExternal))
        {
            // laconic-so loads a repository pod's hooks from <repo>/<path>/stack/deploy/commands.py.
            var podDirectory = Path.Combine(repositoryBase, Path.GetFileName(pod.Repository!.TrimEnd('/')), pod.Path ?? "");
            files.Add(Path.Combine(podDirectory, "stack", PythonHooks.RelativePath));
        }

        return [.. files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Where(File.Exists)
            .SelectMany(f => PythonHooks.Warnings(f, File.ReadAllText(f), hook => hook == "start" ? startPorted : HookRunner.Find(stack, hook) is not null))];
    }
}
