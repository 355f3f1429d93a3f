using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Slipway.Core.Fleet;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Fleet;

/// <summary>
/// Talks to one host through the system OpenSSH client (the operator's ~/.ssh/config, agent, keys and known_hosts
/// all apply; BatchMode, so it never asks for a password). ssh's own failures exit 255; Slipway never does.
/// </summary>
public sealed class FleetHostClient(IProcessRunner runner, SshSettings ssh)
{
    public const int SshFailed = 255;

    public Task<ProcessResult> RunAsync(FleetHost host, string script, TimeSpan timeout, CancellationToken cancellationToken, Action<string>? onError = null)
    {
        var args = new List<string>();
        if (ssh.ConfigFile is not null) args.AddRange(["-F", ssh.ConfigFile]);
        args.AddRange(["-o", "BatchMode=yes", "-o", "ConnectTimeout=" + ((int)ssh.ConnectTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture), host.Ssh, "--", script]);
        return runner.RunAsync(new ProcessSpec(ssh.Executable, args) { Timeout = timeout, OnStandardError = onError }, cancellationToken);
    }

    /// <summary>The prepare checks of one host (an unreachable host is one failed check) and the plans it gathered.</summary>
    public async Task<(List<FleetCheck> Checks, Dictionary<string, string> Plans)> PrepareAsync(FleetTarget target, string commit, CancellationToken cancellationToken)
    {
        var result = await RunAsync(target.Host, RemoteScripts.Prepare(target, commit), TimeSpan.FromMinutes(5), cancellationToken);
        var (checks, plans) = Parse(result.StandardOutput);
        if (result.ExitCode == SshFailed && checks.Count == 0)
        {
            checks.Add(new FleetCheck("-", "ssh", "fail", "unreachable: " + Last(result.StandardError)));
        }
        else if (checks.Count == 0)
        {
            checks.Add(new FleetCheck("-", "ssh", "fail", $"the prepare script printed nothing (exit {result.ExitCode}): {Last(result.StandardError)}"));
        }
        else
        {
            checks.Insert(0, new FleetCheck("-", "ssh", "ok", "reachable as " + target.Host.Ssh));
        }

        return (checks, plans);
    }

    public async Task<List<FleetCheck>> OnboardAsync(FleetHost host, IReadOnlyList<FleetDeployment> deployments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(host, RemoteScripts.Onboard(host, deployments), TimeSpan.FromMinutes(2), cancellationToken);
        var (checks, _) = Parse(result.StandardOutput);
        if (checks.Count == 0) checks.Add(new FleetCheck("-", "ssh", "fail", "unreachable: " + Last(result.StandardError)));
        else checks.Insert(0, new FleetCheck("-", "ssh", "ok", "reachable as " + host.Ssh));
        return checks;
    }

    /// <summary>Runs one host's run of a deployment (a script printing the single-host run JSON) and records how it ended in <paramref name="item"/>.</summary>
    public async Task RunItemAsync(FleetHost host, FleetItemRun item, string verb, string script, Action<string>? onError, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        item.Verb = verb;
        var result = await RunAsync(host, script, TimeSpan.FromMinutes(30), cancellationToken, onError);
        item.Seconds = Math.Round(watch.Elapsed.TotalSeconds, 2);
        item.ExitCode = result.ExitCode;
        if (TryRun(result.StandardOutput) is { } run)
        {
            item.RunId = run.GetProperty("run").GetString();
            item.Verb = run.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : verb;
            item.State = run.GetProperty("state").GetString() ?? "failed";
            item.Revision = run.TryGetProperty("revision", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : null;
            item.Message = run.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return;
        }

        item.State = result.ExitCode == SshFailed ? "unreachable" : "failed";
        item.Message = result.ExitCode == SshFailed ? "unreachable: " + Last(result.StandardError) : Last(result.StandardError);
    }

    private static JsonElement? TryRun(string stdout)
    {
        var start = stdout.IndexOf('{', StringComparison.Ordinal);
        if (start < 0) return null;
        try
        {
            using var json = JsonDocument.Parse(stdout[start..]);
            return json.RootElement.TryGetProperty("run", out _) ? json.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static (List<FleetCheck> Checks, Dictionary<string, string> Plans) Parse(string stdout)
    {
        var checks = new List<FleetCheck>();
        var plans = new Dictionary<string, string>(StringComparer.Ordinal);
        string? plan = null;
        var text = new System.Text.StringBuilder();
        foreach (var line in stdout.Split('\n'))
        {
            if (plan is not null)
            {
                if (line == "@end")
                {
                    plans[plan] = text.ToString();
                    plan = null;
                    text.Clear();
                }
                else
                {
                    text.AppendLine(line);
                }

                continue;
            }

            if (line.StartsWith("@plan ", StringComparison.Ordinal))
            {
                plan = line[6..].Trim();
            }
            else if (line.StartsWith("@check ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ', 4);
                if (parts.Length >= 3) checks.Add(new FleetCheck(parts[0], parts[1], parts[2], parts.Length > 3 ? parts[3].Trim() : ""));
            }
        }

        return (checks, plans);
    }

    private static string Last(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" / ", lines.TakeLast(2));
    }
}
