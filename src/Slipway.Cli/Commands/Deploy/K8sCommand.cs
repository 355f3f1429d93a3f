using System.CommandLine;
using Slipway.Core.Diagnostics;

namespace Slipway.Cli.Commands.Deploy;

/// <summary><c>slipway deploy k8s list cluster</c>: the kind cluster a k8s-kind deployment would reuse (no --stack needed).</summary>
internal static class K8sCommand
{
    public static Command Create(CliContext cli)
    {
        var cluster = new Command("cluster", "Print the name of the kind cluster (the first 'kind get clusters' lists), or 'No cluster found'");
        cluster.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            IReadOnlyList<string> clusters;
            try
            {
                clusters = await env.ToolBox.Kind.ClustersAsync(env.CurrentDirectory, ct);
            }
            catch (SlipwayException ex) when (ex.Reason == FailureReason.PrerequisiteMissing)
            {
                // No kind, no kind cluster: laconic-so's answer stays true, and the reason goes to stderr.
                cli.Ui.Warn(ex.Message);
                clusters = [];
            }

            cli.Ui.Result(clusters.Count == 0 ? "No cluster found" : clusters[0]);
            if (clusters.Count > 1) cli.Ui.Info($"{clusters.Count} kind clusters run: {string.Join(", ", clusters)} (the first is printed, as laconic-so does)");
            return ExitCodes.Success;
        }));
        var list = new Command("list", "List Kubernetes things") { cluster };
        return new Command("k8s", "Kubernetes helpers") { list };
    }
}
