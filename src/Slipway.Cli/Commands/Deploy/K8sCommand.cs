using System.CommandLine;

namespace Slipway.Cli.Commands.Deploy;

/// <summary><c>slipway deploy k8s list cluster</c>: the kind cluster a k8s-kind deployment would reuse (no --stack needed).</summary>
internal static class K8sCommand
{
    public static Command Create(CliContext cli)
    {
        var cluster = new Command("cluster", "Print the name of the kind cluster (the first 'kind get clusters' lists), or 'No cluster found'");
        cluster.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            var clusters = await env.ToolBox.Kind.ClustersAsync(env.CurrentDirectory, ct);
            cli.Ui.Result(clusters.Count == 0 ? "No cluster found" : clusters[0]);
            if (clusters.Count > 1) cli.Ui.Info($"{clusters.Count} kind clusters run: {string.Join(", ", clusters)} (the first is printed, as laconic-so does)");
            return ExitCodes.Success;
        }));
        var list = new Command("list", "List Kubernetes things") { cluster };
        return new Command("k8s", "Kubernetes helpers") { list };
    }
}
