using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Core;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Processes;
using YamlDotNet.RepresentationModel;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>What an operator asks of running pods: their logs, a published port, a command inside, and a diagnosis.</summary>
internal sealed class KubernetesAccess(KubernetesTarget target)
{
    public async Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken)
    {
        var manifests = target.LoadManifests();
        var ns = target.NamespaceOf(manifests).Name;
        // With a selector kubectl shows only 10 lines unless told otherwise; -1 means all, as compose does.
        string[] common = ["--prefix", $"--tail={(options.Tail ?? -1).ToString(CultureInfo.InvariantCulture)}", "--max-log-requests=50", .. options.Follow ? new[] { "--follow", "--ignore-errors" } : []];
        if (options.Services.Count == 0)
        {
            return await Run(["logs", "-n", ns, "-l", target.Selector, "--all-containers", .. common]);
        }

        var runs = options.Services.Select(service =>
        {
            var pod = KubernetesTarget.PodOf(manifests, service);
            return Run(["logs", "-n", ns, "-l", $"{target.Selector},{SlipwayLabels.PodLabel}={pod.TemplateLabel(SlipwayLabels.PodLabel)}", "-c", service, .. common]);
        }).ToList();
        var codes = await Task.WhenAll(runs);
        return codes.Max();

        Task<int> Run(IReadOnlyList<string> command) => options.Output is { } output
            ? target.Kubectl.StreamAsync(command, output, options.Error ?? (_ => { }), cancellationToken)
            : target.Kubectl.InheritAsync(command, cancellationToken);
    }

    public async Task<string> PortAsync(string service, string port, CancellationToken cancellationToken)
    {
        var manifests = target.LoadManifests();
        var ns = target.NamespaceOf(manifests).Name;
        var deployment = KubernetesTarget.PodOf(manifests, service);
        var slash = port.IndexOf('/');
        var number = slash < 0 ? port : port[..slash];
        var protocol = slash < 0 ? "TCP" : port[(slash + 1)..].ToUpperInvariant();
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new SlipwayException(FailureReason.InvalidInput, $"'{port}' is not a port: give a number, e.g. 80 or 53/udp");
        }

        var pod = deployment.TemplateLabel(SlipwayLabels.PodLabel);
        foreach (var svc in manifests.Where(o => o.Kind == "Service" && o.Node.Child("spec")?.Scalar("type") == "NodePort"))
        {
            var spec = svc.Node.Child("spec")!;
            var forService = svc.Label(SlipwayLabels.ServiceLabel);
            if (forService.Length > 0 ? forService != service : spec.Child("selector")?.Scalar(SlipwayLabels.PodLabel) != pod) continue;
            if (!spec.Children.TryGetValue(new YamlScalarNode("ports"), out var portsNode) || portsNode is not YamlSequenceNode ports) continue;
            foreach (var entry in ports.Children.OfType<YamlMappingNode>())
            {
                var entryTarget = entry.Scalar("targetPort") ?? entry.Scalar("port");
                if (entryTarget != number || (entry.Scalar("protocol") ?? "TCP") != protocol) continue;
                var servicePort = entry.Scalar("port");
                var nodePort = await target.Kubectl.RequireAsync($"get service {svc.Name}", ["get", "service", svc.Name, "-n", ns, "-o", $"jsonpath={{.spec.ports[?(@.port=={servicePort})].nodePort}}"], cancellationToken, FailureReason.NotFound);
                var address = await target.Kubectl.RequireAsync("get nodes", ["get", "nodes", "-o", "jsonpath={.items[0].status.addresses[?(@.type==\"InternalIP\")].address}"], cancellationToken);
                var host = address.StandardOutput.Trim();
                var published = nodePort.StandardOutput.Trim();
                if (host.Length == 0 || published.Length == 0)
                {
                    throw new SlipwayException(FailureReason.NotFound, $"the NodePort of service {svc.Name} (port {servicePort}) or a node address is not known yet", "check that the deployment is started");
                }

                return $"{host}:{published}";
            }
        }

        throw new SlipwayException(FailureReason.NotFound,
            $"service '{service}' has no NodePort for port {port} on {target.Session.Target.ToName()}; reach it through a port-forward instead",
            $"kubectl {string.Join(' ', target.Kubectl.Connection)} port-forward -n {ns} deployment/{deployment.Name} {number}:{number}  (or list the port under network.ports in the spec for a NodePort)");
    }

    public Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken)
    {
        var manifests = target.LoadManifests();
        var ns = target.NamespaceOf(manifests).Name;
        var deployment = KubernetesTarget.PodOf(manifests, service);
        // -i always (so piped input reaches the command, as compose exec does); a TTY only when both ends are a terminal.
        return target.Kubectl.InheritAsync(["exec", "-n", ns, "-i", .. interactive ? new[] { "-t" } : [], $"deployment/{deployment.Name}", "-c", service, "--", .. command], cancellationToken);
    }

    /// <summary>
    /// <paramref name="command"/> in <paramref name="service"/>'s container of one live pod of its Deployment (the stack's
    /// config: directives): running, not terminating, that container ready, the newest first. <c>kubectl exec
    /// deployment/X</c> prefers the oldest pod, which after a rolling update is one being terminated.
    /// </summary>
    public async Task<ProcessResult> RunInServiceAsync(string service, IReadOnlyList<string> command, IReadOnlyList<string> secrets, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var manifests = target.LoadManifests();
        var ns = target.NamespaceOf(manifests).Name;
        var deployment = KubernetesTarget.PodOf(manifests, service);
        var pods = await target.Kubectl.RunAsync(["get", "pods", "-n", ns, "-l", $"{target.Selector},{SlipwayLabels.PodLabel}={deployment.TemplateLabel(SlipwayLabels.PodLabel)}", "-o", "json"], cancellationToken);
        if (!pods.Succeeded) return pods;
        if (LivePod(pods.StandardOutput, service) is not { } pod)
        {
            return new ProcessResult($"kubectl exec -c {service}", 1, "", $"no running pod of deployment {deployment.Name} has its {service} container ready\n", TimeSpan.Zero);
        }

        return await target.Kubectl.RunAsync(["exec", "-n", ns, pod, "-c", service, "--", .. command], cancellationToken, timeout: timeout, extraSecrets: secrets);
    }

    /// <summary>The newest pod of <c>get pods -o json</c> that runs, is not terminating and has <paramref name="service"/> ready; null if none.</summary>
    internal static string? LivePod(string json, string service) =>
        KubernetesTarget.Items(json)
            .Where(p => !p.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _) && Ready(p, service))
            .OrderByDescending(p => p.GetProperty("metadata").TryGetProperty("creationTimestamp", out var t) ? t.GetString() : "", StringComparer.Ordinal)
            .Select(p => p.GetProperty("metadata").GetProperty("name").GetString())
            .FirstOrDefault();

    private static bool Ready(JsonElement pod, string service) =>
        pod.TryGetProperty("status", out var status) && status.TryGetProperty("phase", out var phase) && phase.GetString() == "Running"
        && status.TryGetProperty("containerStatuses", out var containers)
        && containers.EnumerateArray().Any(c => c.TryGetProperty("name", out var n) && n.GetString() == service && c.TryGetProperty("ready", out var r) && r.ValueKind == JsonValueKind.True);

    /// <summary>Pods, their description, the namespace's events and the last log lines: best effort, each failure written into the text.</summary>
    public async Task<string> DiagnoseAsync(int tailLines, CancellationToken cancellationToken)
    {
        var ns = target.Namespace;
        var text = new StringBuilder();
        string[][] commands =
        [
            ["get", "pods", "-n", ns, "-l", target.Selector, "-o", "wide"],
            ["describe", "pods", "-n", ns, "-l", target.Selector],
            ["get", "events", "-n", ns, "--sort-by=.lastTimestamp"],
            ["logs", "-n", ns, "-l", target.Selector, "--all-containers", "--prefix", "--max-log-requests=50", $"--tail={tailLines.ToString(CultureInfo.InvariantCulture)}"],
        ];
        foreach (var command in commands)
        {
            text.Append("$ kubectl ").AppendJoin(' ', command).Append('\n');
            try
            {
                var result = await target.Kubectl.RunAsync(command, cancellationToken, timeout: TimeSpan.FromMinutes(1));
                text.Append(result.StandardOutput);
                if (!result.Succeeded) text.Append($"(exit code {result.ExitCode}{(result.TimedOut ? ", timed out" : "")})\n").Append(result.StandardError);
            }
            catch (Processes.ToolNotFoundException ex)
            {
                // A diagnosis is best effort: it runs after something else already failed.
                text.Append(ex.Message).Append('\n');
                break;
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
