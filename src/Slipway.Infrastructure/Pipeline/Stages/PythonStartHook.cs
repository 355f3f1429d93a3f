using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Hooks;
using Slipway.Infrastructure.Operations;

namespace Slipway.Infrastructure.Pipeline.Stages;

/// <summary>
/// laconic-so's start(deployment_context): on Kubernetes targets only, at the end of apply (the objects applied, before
/// verify), from D's copies in D/hooks, as laconic-so's K8sDeployer.up ran it. A failing start() fails apply, so the
/// failure path follows (diagnose, then rollback to the last good revision when there is one); rollback's own apply does
/// not run it. The spec's hooks.post-deploy, start()'s earlier port, takes precedence.
/// </summary>
internal static class PythonStartHook
{
    public static async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var session = context.Session;
        if (!session.Target.IsKubernetes()) return;
        var modules = PythonHookRunner.DeploymentModules(session.Layout.Directory);
        if (PythonHooks.Select("start", modules).Count == 0) return;
        var directory = session.Layout.Directory;
        var stackPath = session.Identity.StackSource;
        var stack = (stackPath, session.Stack.Name ?? Path.GetFileName(stackPath.TrimEnd('/')), Stack.ConfigRootOf(stackPath, new Files.DiskHostFiles(), context.LaconicDataRoots));
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        var kubeconfig = Path.Combine(directory, "kubeconfig.yml");
        if (session.Target == DeployTarget.K8s && File.Exists(kubeconfig)) environment["KUBECONFIG"] = kubeconfig;
        var outcome = await new PythonHookRunner(context.Runner, context.Tools.Paths.Python, context.Reporter, dryRun: false).RunAsync("start", modules,
            session.Spec.Hooks.PostDeploy.Count > 0 ? "the spec's hooks.post-deploy" : null,
            file => PythonHookCalls.ForDeployment("start", stack, modules, session.Identity, directory, new LaconicOptions(Stack: stackPath), null, file),
            new HookRun(directory) { Environment = environment, Secrets = session.SecretValues }, cancellationToken);
        foreach (var line in (outcome?.Output ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)) context.Progress($"start(): {line}");
    }
}
