using Slipway.Core.Deployments;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Operations;

/// <summary>
/// The contexts laconic-so's hooks are called with, as <see cref="PythonHookCall"/>s: init and setup get the stack and
/// stack mode's compose project (laconic-so's own project name, every pod's file); create and start get D, and on a
/// compose deployment D's compose project, so run_container_command runs where Slipway's own compose calls do.
/// </summary>
internal static class PythonHookCalls
{
    public static PythonHookCall ForStack(string hook, Stack stack, IReadOnlyList<HookModule> modules, SlipwayEnvironment env, string resultFile,
        SetupRequest? group = null) => new()
    {
        Hook = hook,
        Modules = [.. PythonHooks.Select(hook, modules).Select(m => m.Path)],
        StackPath = stack.Directory,
        StackName = stack.Name,
        ConfigDirectory = stack.ConfigRoot,
        Options = env.Flags,
        Compose = StackCompose(stack, env, group),
        ResultFile = resultFile,
    };

    /// <param name="stack">The stack's folder, name and config folder (start has only D's record of them).</param>
    public static PythonHookCall ForDeployment(string hook, (string Path, string Name, string? ConfigDirectory) stack, IReadOnlyList<HookModule> modules,
        DeploymentFile deployment, string directory, LaconicOptions options, HookCompose? compose, string resultFile) => new()
    {
        Hook = hook,
        Modules = [.. PythonHooks.Select(hook, modules).Select(m => m.Path)],
        StackPath = stack.Path,
        StackName = stack.Name,
        ConfigDirectory = stack.ConfigDirectory,
        Options = options,
        Deployment = new HookDeployment(directory, deployment.ClusterId, deployment.DeploymentId),
        Compose = compose,
        ResultFile = resultFile,
    };

    /// <summary>
    /// Stack mode's project, as `deploy [--include|--exclude PODS] [--env-file F] [--cluster P] up` would name it: the
    /// selected pods that have a compose file (all of them for init, whose command takes no group flags).
    /// </summary>
    private static HookCompose? StackCompose(Stack stack, SlipwayEnvironment env, SetupRequest? group)
    {
        var pods = StackSelection.Pods(stack.Definition, group?.Include, group?.Exclude);
        var files = pods.Select(p => stack.ComposeFile(p, env.RepositoryBase)).OfType<string>().ToList();
        if (files.Count == 0) return null;
        var project = group?.Cluster ?? StackSelection.DefaultProjectName(env.Flags.Stack ?? stack.Directory, group?.Include, group?.Exclude);
        var envFile = group?.EnvFile is { } file ? env.Resolve(file) : null;
        var compose = new StackDeploy(env).Compose(new StackProjectInfo(stack, pods, project, files, envFile), env.Flags.Debug);
        return Describe(compose);
    }

    /// <summary>A compose deployment's project, as its backend runs compose (null on other targets: no compose project there).</summary>
    public static HookCompose? DeploymentCompose(DeploymentSession session, ToolBox tools) =>
        session.Target == DeployTarget.Compose ? Describe(new ComposeBackend(session, tools.Docker).Compose) : null;

    private static HookCompose Describe(DockerCompose compose)
    {
        var spec = compose.Docker.Spec(compose.ProjectArguments());
        return new HookCompose(spec.FileName, spec.Arguments, spec.Environment, spec.WorkingDirectory, compose.Project.Name, compose.Project.Files, compose.Project.EnvFile);
    }
}
