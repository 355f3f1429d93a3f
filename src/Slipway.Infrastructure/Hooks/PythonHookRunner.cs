using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Reporting;

namespace Slipway.Infrastructure.Hooks;

/// <summary>What one Python hook printed, and what it returned (init's dict) as JSON, "null" when nothing.</summary>
internal sealed record PythonHookOutcome(string Output, string ResultJson);

/// <summary>
/// Runs laconic-so's commands.py hooks under the operator's python3 (a child of the one process runner, like every CLI
/// Slipway drives): the shipped bridge and stack_orchestrator shim are written to a fresh temporary folder, the call's
/// context beside them as JSON, and <c>python3 slipway_bridge.py context.json</c> runs the hook of each selected module.
/// </summary>
internal sealed class PythonHookRunner(IProcessRunner runner, string python, IReporter reporter, bool dryRun)
{
    private const string ResourcePrefix = "Slipway.Python/";

    /// <summary>The stack's commands.py, then each repository pod's (<c>&lt;devroot&gt;/&lt;repo&gt;/&lt;path&gt;/stack/deploy/commands.py</c>), those that exist.</summary>
    public static IReadOnlyList<HookModule> StackModules(Stack stack, string devRoot)
    {
        var files = new List<string> { Path.Combine(stack.Directory, PythonHooks.RelativePath) };
        foreach (var pod in stack.Definition.Pods.Where(p => p.IsExternal))
        {
            var podDirectory = Path.Combine(devRoot, Path.GetFileName(pod.Repository!.TrimEnd('/')), pod.Path ?? "");
            files.Add(Path.Combine(podDirectory, "stack", PythonHooks.RelativePath));
        }

        return [.. files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Where(File.Exists).Select(f => new HookModule(f, File.ReadAllText(f)))];
    }

    /// <summary>D/hooks/commands*.py, in the order deploy create copied them.</summary>
    public static IReadOnlyList<HookModule> DeploymentModules(string deploymentDirectory)
    {
        var folder = Path.Combine(deploymentDirectory, PythonHooks.DeploymentFolder);
        if (!Directory.Exists(folder)) return [];
        return [.. PythonHooks.OrderCopies(Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>())
            .Select(n => Path.Combine(folder, n)).Select(f => new HookModule(f, File.ReadAllText(f)))];
    }

    /// <summary>
    /// Runs <paramref name="hook"/> of the modules that define it (init: the first only). When <paramref name="supersededBy"/>
    /// names the stack's own port, nothing runs and that is said once. Null when nothing ran.
    /// </summary>
    public async Task<PythonHookOutcome?> RunAsync(string hook, IReadOnlyList<HookModule> modules, string? supersededBy, Func<string, PythonHookCall> call,
        HookRun run, CancellationToken cancellationToken)
    {
        var selected = PythonHooks.Select(hook, modules);
        if (selected.Count == 0) return null;
        if (supersededBy is not null)
        {
            foreach (var module in selected) reporter.Info(PythonHooks.Superseded(hook, module.Path, PythonHooks.Line(module.Text, hook), supersededBy));
            return null;
        }

        var names = string.Join(", ", selected.Select(m => m.Path));
        if (dryRun)
        {
            reporter.Info($"Dry run: would run {hook}() of {names} with {python}");
            return null;
        }

        var folder = Path.Combine(Path.GetTempPath(), "slipway-python-" + Guid.NewGuid().ToString("N"));
        try
        {
            WriteBridge(folder);
            var result = Path.Combine(folder, "result.json");
            var context = Path.Combine(folder, "context.json");
            await File.WriteAllTextAsync(context, call(result).ToJson(), cancellationToken);
            var environment = new Dictionary<string, string?>(run.Environment, StringComparer.Ordinal)
            {
                ["PYTHONDONTWRITEBYTECODE"] = "1",
                ["PYTHONUNBUFFERED"] = "1",
            };
            ProcessResult done;
            try
            {
                done = await runner.RunAsync(new ProcessSpec(python, [Path.Combine(folder, "slipway_bridge.py"), context])
                {
                    WorkingDirectory = run.WorkingDirectory,
                    Environment = environment,
                    Secrets = run.Secrets,
                    Timeout = TimeSpan.FromMinutes(10),
                }, cancellationToken);
            }
            catch (ToolNotFoundException e)
            {
                var first = selected[0];
                throw new SlipwayException(FailureReason.PrerequisiteMissing, PythonHooks.NeedsPython(hook, first.Path, PythonHooks.Line(first.Text, hook), python),
                    PythonHooks.NeedsPythonHint(hook), e);
            }

            if (!done.Succeeded)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed,
                    $"{hook}() of {names} failed (exit code {done.ExitCode}{(done.TimedOut ? ", timed out after 10 minutes" : "")}):\n{Output(done)}",
                    "its output is above; fix the hook (or what it reads) and run the command again");
            }

            var json = File.Exists(result) ? System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(result, cancellationToken))?["result"]?.ToJsonString() ?? "null" : "null";
            return new PythonHookOutcome(done.StandardOutput, json);
        }
        finally
        {
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind costs nothing; the hook's result does not depend on it.
            }
        }
    }

    /// <summary>The hook's own prints (stdout) and Python's complaints (stderr), the last lines of each.</summary>
    private static string Output(ProcessResult result)
    {
        static IEnumerable<string> Last(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20);
        return string.Join('\n', Last(result.StandardOutput).Concat(Last(result.StandardError)));
    }

    /// <summary>Writes the shipped bridge and shim (embedded resources) under <paramref name="folder"/>, readable by its owner only.</summary>
    internal static void WriteBridge(string folder)
    {
        var assembly = typeof(PythonHookRunner).Assembly;
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var path = Path.Combine(folder, name[ResourcePrefix.Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(path);
            stream.CopyTo(file);
        }
    }
}

/// <summary>Where a Python hook runs: its folder, extra variables (a null value unsets), and values never to log.</summary>
internal sealed record HookRun(string WorkingDirectory)
{
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyList<string> Secrets { get; init; } = [];
}
