using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Slipway.Core.Diagnostics;
using Slipway.Core.Rendering.Kubernetes;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>Resolves a host name; behind an interface so a test maps a name to 127.0.0.1 without touching /etc/hosts.</summary>
internal interface IHostResolver
{
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system resolver (getaddrinfo: /etc/hosts, then DNS).</summary>
internal sealed class SystemHostResolver : IHostResolver
{
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return [];
        }
    }
}

/// <summary>
/// restart's DNS probe on a changed http-proxy host name (laconic-so's): the name must resolve, and
/// <c>http://NAME/.well-known/laconic-probe</c> must answer through a temporary Ingress on this cluster within 30 s, or
/// the restart is refused before anything changes. An answer carrying this probe's token proves it came from this
/// cluster's Caddy; laconic-so's rule (any status below 500) is still taken when no such answer comes, with a warning.
/// The probe Ingress is deleted however the probe ends.
/// </summary>
internal sealed class HostNameProbe(KubernetesTarget target)
{
    public async Task ProbeAsync(string host, string? previous, Action<string>? progress, CancellationToken cancellationToken)
    {
        var options = target.Options;
        var was = previous is null ? "" : $" (was {previous})";
        var hint = $"point {host}'s DNS at this host (the kind node's ports 80/443, or the cluster's ingress), wait until it resolves there, and run restart again; 'restart --force' skips the probe";
        var addresses = await options.HostResolver.ResolveAsync(host, cancellationToken);
        if (addresses.Count == 0)
        {
            throw new SlipwayException(FailureReason.PrerequisiteMissing, $"restart refused, nothing was changed: the new http-proxy host name {host}{was} does not resolve", hint);
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        progress?.Invoke($"DNS probe: {host} resolves to {string.Join(", ", addresses)}; creating ingress {DnsProbeIngress.Namespace}/{DnsProbeIngress.Name}");
        await target.Kubectl.RequireAsync("apply (the DNS probe ingress)", ["apply", "--server-side", "--field-manager=slipway", "--force-conflicts", "-f", "-"], cancellationToken,
            standardInput: Json(DnsProbeIngress.Render(host, token)));
        try
        {
            var answer = await PollAsync(host, addresses, token, progress, cancellationToken);
            if (answer.Token)
            {
                progress?.Invoke($"DNS probe: {host} reaches this cluster's ingress");
                return;
            }

            if (answer.Status is { } status)
            {
                options.Warn($"DNS probe: {host} answered HTTP {status} but never with this probe's token within {(int)options.ProbeTimeout.TotalSeconds}s: something answers HTTP at that name, maybe not this cluster's ingress; accepted (laconic-so's rule: a status below 500)");
                return;
            }

            throw new SlipwayException(FailureReason.PrerequisiteMissing,
                $"restart refused, nothing was changed: the new http-proxy host name {host}{was} resolves to {string.Join(", ", addresses)} but http://{host}{DnsProbeIngress.Path} gave no answer below 500 within {(int)options.ProbeTimeout.TotalSeconds}s ({answer.Last})",
                hint);
        }
        finally
        {
            await target.Kubectl.RunAsync(["delete", "ingresses.networking.k8s.io", DnsProbeIngress.Name, "-n", DnsProbeIngress.Namespace, "--ignore-not-found"], CancellationToken.None);
        }
    }

    private sealed record Answer(bool Token, int? Status, string Last);

    private async Task<Answer> PollAsync(string host, IReadOnlyList<IPAddress> addresses, string token, Action<string>? progress, CancellationToken cancellationToken)
    {
        var options = target.Options;
        var port = options.ProbePort;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            // Connect to the addresses the resolver gave, whatever the system resolver would say.
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync([.. addresses], port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        var url = new Uri($"http://{host}{(port == 80 ? "" : $":{port}")}{DnsProbeIngress.Path}");
        var deadline = options.Clock.GetUtcNow() + options.ProbeTimeout;
        int? below500 = null;
        var last = "no answer yet";
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(url, cancellationToken);
                var status = (int)response.StatusCode;
                var location = response.Headers.Location?.OriginalString ?? "";
                if (status < 500 && location.EndsWith(DnsProbeIngress.Location(token), StringComparison.Ordinal)) return new Answer(true, status, "");
                if (status < 500) below500 ??= status;
                last = $"HTTP {status}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = ex is TaskCanceledException ? "timed out after 5s" : ex.Message;
            }

            if (options.Clock.GetUtcNow() >= deadline) return new Answer(false, below500, last);
            progress?.Invoke($"DNS probe: waiting for {url} ({last})");
            await options.Delay(options.ProbeInterval, cancellationToken);
        }
    }

    private static string Json(System.Text.Json.Nodes.JsonObject ingress) => ingress.ToJsonString();
}
