using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Operations;

public sealed record BuildNpmsRequest
{
    public string? StackArgument { get; init; }

    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public bool ForceRebuild { get; init; }

    public string? ExtraBuildArgs { get; init; }

    /// <summary>The global --debug: CERC_SCRIPT_DEBUG=true in the builder.</summary>
    public bool Debug { get; init; }

    /// <summary>The global --dry-run: check what a run needs (image, registry, token, repositories), copy and run nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The global --continue-on-error: after a package fails, build the others (the command still fails).</summary>
    public bool ContinueOnError { get; init; }
}

/// <summary>One package and what became of it.</summary>
public sealed record NpmPackageOutcome(string Package, string BuildTree, bool DryRun);

/// <summary>
/// <c>slipway --stack S build-npms</c> (laconic-so's): each package of the stack's <c>npms:</c> is copied from
/// <c>&lt;dev root&gt;/&lt;package&gt;</c> to <c>&lt;dev root&gt;/build-trees/&lt;package&gt;</c> and built and published there by
/// the cerc/builder-js image (<see cref="NpmBuild"/>).
/// </summary>
public sealed class BuildNpms(SlipwayEnvironment env)
{
    public async Task<IReadOnlyList<NpmPackageOutcome>> RunAsync(BuildNpmsRequest request, CancellationToken cancellationToken)
    {
        if (request.StackArgument is null)
        {
            throw new SlipwayException(FailureReason.InvalidInput, "--stack is required: slipway --stack PATH build-npms",
                "Slipway has no built-in list of every package (laconic-so's npm-package-list.txt); name the stack whose npms: to build");
        }

        var files = new DiskHostFiles();
        var stack = Stack.Load(StackResolver.Resolve(request.StackArgument, env.CurrentDirectory, env.ShippedStackRoots, files), files, new DiagnosticBag(), podsRequired: false);
        if (stack.Definition.Npms.Count == 0)
        {
            env.Reporter.Warn($"stack {stack.Name} does not define any npms");
            return [];
        }

        // Everything is checked before the first package is copied: a missing token or clone costs no build.
        var packages = StackListFilter.Select(stack.Definition.Npms, request.Include, request.Exclude, "npms");
        foreach (var package in packages.Where(p => !IsRelativePath(p)))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"npms entry '{package}' of {stack.Definition.FilePath} is not a folder name inside the dev root",
                "an npms entry names the package's repository folder under CERC_REPO_BASE_DIR, e.g. laconic-sdk");
        }

        var docker = env.ToolBox.Docker;
        if (!await docker.ImageExistsAsync(env.NpmBuilderImage, cancellationToken))
        {
            throw new SlipwayException(FailureReason.PrerequisiteMissing, $"the builder image {env.NpmBuilderImage} is required but was not found",
                "build it from laconic-so's build-support stack: 'slipway --stack build-support build-containers --include cerc/builder-js' "
                + "(once its repository is in the dev root: 'slipway fetch-stack cerc-io/stack-orchestrator')");
        }

        var registry = NpmBuild.RegistryUrlFromEnvironment(env.GetEnvironment);
        if (registry is null)
        {
            // laconic-so's fallback: its local package-registry stack, when that is up.
            if (!await docker.AnyRunningAsync($"com.docker.compose.project={NpmBuild.RegistryProject}", cancellationToken)) throw NpmBuild.NoRegistry();
            registry = NpmBuild.LocalRegistryUrl;
            env.Reporter.Info($"using the {NpmBuild.RegistryStack} stack's npm registry {registry} (its compose project {NpmBuild.RegistryProject} is running; {NpmBuild.RegistryVariable} is not set)");
        }

        var token = NpmBuild.AuthToken(env.GetEnvironment);
        var devRoot = env.DevRoot;
        var missing = packages.Where(p => !Directory.Exists(Path.Combine(devRoot, p))).ToList();
        if (missing.Count > 0)
        {
            throw new SlipwayException(FailureReason.NotFound,
                $"no repository for the npm package{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} in the dev root {devRoot}",
                $"clone them with 'slipway --stack {request.StackArgument} setup-repositories' (the stack's repos: must list them), or point CERC_REPO_BASE_DIR at the dev root that has them");
        }

        var (uid, gid) = HostUser.Ids();
        var settings = new NpmBuildSettings(env.NpmBuilderImage, registry, token, uid, gid)
        {
            Debug = request.Debug,
            ForceRebuild = request.ForceRebuild,
            ExtraBuildArgs = request.ExtraBuildArgs,
        };
        foreach (var excluded in stack.Definition.Npms.Except(packages)) env.Reporter.Detail($"excluding {excluded}");

        var outcomes = new List<NpmPackageOutcome>();
        var failed = new List<string>();
        foreach (var package in packages)
        {
            try
            {
                outcomes.Add(await BuildOneAsync(package, devRoot, settings, request.DryRun, cancellationToken));
            }
            catch (SlipwayException e) when (request.ContinueOnError)
            {
                env.Reporter.Warn($"{e.Message}\n--continue-on-error: going on with the next package");
                failed.Add(package);
            }
        }

        if (failed.Count > 0)
        {
            throw new SlipwayException(FailureReason.DeploymentFailed,
                $"{failed.Count} of {packages.Count} npm packages failed to build: {string.Join(", ", failed)}"
                + (outcomes.Count == 0 ? "" : $"; built and published: {string.Join(", ", outcomes.Select(o => o.Package))}"));
        }

        var count = $"{outcomes.Count} npm package{(outcomes.Count == 1 ? "" : "s")}";
        env.Reporter.Info($"{(request.DryRun ? "Dry run: would build and publish" : "built and published")} {count} to {registry}: {string.Join(", ", outcomes.Select(o => o.Package))}");
        return outcomes;
    }

    private async Task<NpmPackageOutcome> BuildOneAsync(string package, string devRoot, NpmBuildSettings settings, bool dryRun, CancellationToken cancellationToken)
    {
        env.Reporter.Info($"Building npm package: {package}");
        var clone = Path.Combine(devRoot, package);
        var copy = Path.Combine(devRoot, "build-trees", package);
        var name = NpmBuild.ContainerName(package, env.Random.Next().ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        var spec = NpmBuild.RunSpec(env.ToolBox.Docker, copy, name, settings);
        if (dryRun)
        {
            if (Directory.Exists(copy)) env.Reporter.Info($"Dry run: would delete the old build tree {copy}");
            env.Reporter.Info($"Dry run: would copy {clone} to {copy}");
            env.Reporter.Info($"Dry run: would run: {spec.Display()}");
            return new NpmPackageOutcome(package, copy, DryRun: true);
        }

        env.Reporter.Detail($"copying {clone} to {copy}");
        NpmBuild.ReplaceWithCopy(clone, copy);
        await env.Reporter.StepAsync($"build npm package {package}", async progress =>
        {
            ProcessResult run;
            try
            {
                run = await env.Runner.RunAsync(spec with { OnStandardOutput = progress, OnStandardError = progress }, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await RemoveAsync(name);
                throw;
            }

            if (run.TimedOut) await RemoveAsync(name);
            if (!run.Succeeded)
            {
                throw new SlipwayException(FailureReason.DeploymentFailed,
                    $"building npm package {package} failed{(run.TimedOut ? " (timed out)" : "")} (exit code {run.ExitCode}) in {settings.Image}:\n{Output(run)}",
                    $"its build tree {copy} is kept to look into");
            }

            return run;
        });
        return new NpmPackageOutcome(package, copy, DryRun: false);
    }

    /// <summary>Removes a builder container its docker client no longer waits for (best effort: it may be gone already).</summary>
    private async Task RemoveAsync(string container) =>
        await env.ToolBox.Docker.RunAsync(["rm", "--force", container], CancellationToken.None, TimeSpan.FromSeconds(30));

    /// <summary>The end of what the container printed, both streams (a build's context is on stdout, its error often on stderr).</summary>
    private static string Output(ProcessResult run)
    {
        static string Tail(string text) => string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20));
        var (stdout, stderr) = (Tail(run.StandardOutput), Tail(run.StandardError));
        return stdout.Length == 0 ? stderr : stderr.Length == 0 ? stdout : $"{stdout}\n{stderr}";
    }

    /// <summary>A folder path below the dev root: relative, no empty, '.' or '..' part.</summary>
    private static bool IsRelativePath(string package) =>
        package.Length > 0 && !Path.IsPathRooted(package) && package.Split('/').All(p => p.Length > 0 && p is not ("." or "..") && !p.Contains('\\'));
}
