using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Slipway.Core.Fleet;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Fleet;

/// <summary>
/// Talks to one host through the system OpenSSH client (the operator's ~/.ssh/config, agent, keys and known_hosts
/// all apply; BatchMode, so it never asks for a password). ssh's own failures exit 255; Slipway never does.
/// With <see cref="SshSettings.Multiplex"/>, every command of one fleet command to a host shares one SSH connection
/// (ControlMaster in a private folder of this process): prepare opens it, the rollout reuses it without a new handshake,
/// and <see cref="DisposeAsync"/> closes every master and removes the folder.
/// </summary>
public sealed class FleetHostClient(IProcessRunner runner, SshSettings ssh) : IAsyncDisposable
{
    public const int SshFailed = 255;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<ProcessResult?>> _masters = new(StringComparer.Ordinal);
    private string? _controlDirectory;

    public async Task<ProcessResult> RunAsync(FleetHost host, string script, TimeSpan timeout, CancellationToken cancellationToken, Action<string>? onError = null)
    {
        var args = new List<string>();
        if (ssh.ConfigFile is not null) args.AddRange(["-F", ssh.ConfigFile]);
        if (ssh.Multiplex)
        {
            var (path, failure) = await MasterAsync(host, cancellationToken);
            // The host cannot be reached: said once, without a second connect timeout.
            if (failure is not null) return failure;
            // A client of the host's shared connection (without one, ssh connects by itself).
            args.AddRange(["-o", "ControlMaster=no", "-o", "ControlPath=" + path]);
        }

        args.AddRange(Batch);
        args.AddRange([host.Ssh, "--", script]);
        return await runner.RunAsync(new ProcessSpec(ssh.Executable, args) { Timeout = timeout, OnStandardError = onError }, cancellationToken);
    }

    private string[] Batch => ["-o", "BatchMode=yes", "-o", "ConnectTimeout=" + ((int)ssh.ConnectTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)];

    /// <summary>The ControlPath of the host's shared connection, opened once per host and client, or why ssh could not reach the host.</summary>
    private async Task<(string Path, ProcessResult? Failure)> MasterAsync(FleetHost host, CancellationToken cancellationToken)
    {
        Task<ProcessResult?> master;
        string path;
        lock (_gate)
        {
            _controlDirectory ??= CreateControlDirectory();
            // %C: a hash of the destination, short enough for a socket path.
            path = Path.Combine(_controlDirectory, "%C");
            if (!_masters.TryGetValue(host.Ssh, out master!))
            {
                _masters[host.Ssh] = master = OpenMasterAsync(host, path, cancellationToken);
            }
        }

        return (path, await master);
    }

    private const string ControlPrefix = "slipway-ssh-";

    /// <summary>
    /// The private folder of this command's control sockets, named after this process (pid and start time), so that the
    /// next fleet command removes the folder of one that was killed (<see cref="SweepAbandoned"/>).
    /// </summary>
    private static string CreateControlDirectory()
    {
        var parent = Path.GetTempPath();
        SweepAbandoned(parent);
        var pid = Environment.ProcessId;
        return Directory.CreateTempSubdirectory(string.Create(CultureInfo.InvariantCulture, $"{ControlPrefix}{pid}.{Pipeline.DeploymentLock.ProcessStartOf(pid) ?? 0}-")).FullName;
    }

    /// <summary>
    /// Removes the control folders in <paramref name="parent"/> of fleet commands that are gone (killed before they could
    /// remove their own): their masters outlive them by ControlPersist at most, and a master whose socket is removed
    /// only runs out that time. A folder without a process in its name (made before folders had one) goes once empty
    /// and ten minutes old. Folders of live commands, and of other users, are left alone.
    /// </summary>
    public static void SweepAbandoned(string parent, TimeSpan? legacyAge = null)
    {
        IEnumerable<string> folders;
        try
        {
            folders = Directory.EnumerateDirectories(parent, ControlPrefix + "*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder)[ControlPrefix.Length..];
            var owner = name.Split('-')[0].Split('.');
            try
            {
                if (Abandoned(folder, owner, legacyAge ?? TimeSpan.FromMinutes(10))) Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or being removed by another command: not ours to insist on.
            }
        }
    }

    private static bool Abandoned(string folder, string[] owner, TimeSpan legacyAge)
    {
        if (owner.Length == 2 && int.TryParse(owner[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(owner[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return Pipeline.DeploymentLock.ProcessStartOf(pid) is not { } now || (start != 0 && now != start);
        }

        return !Directory.EnumerateFileSystemEntries(folder).Any() && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > legacyAge;
    }

    /// <summary>
    /// ssh -fNM with its output (and that of a ProxyCommand it starts) in a file: a master keeps running after this
    /// returns and must not hold the orchestrator's pipes open. ControlPersist bounds a master left behind by a killed
    /// orchestrator. Returns null when it is up (or failed for a reason of its own: sessions then connect directly), or
    /// ssh's failure to reach the host.
    /// </summary>
    private async Task<ProcessResult?> OpenMasterAsync(FleetHost host, string path, CancellationToken cancellationToken)
    {
        var log = Path.Combine(Path.GetDirectoryName(path)!, "master-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        var args = new List<string> { "-c", "log=$1; shift; exec \"$@\" </dev/null >/dev/null 2>\"$log\"", "sh", log, ssh.Executable };
        if (ssh.ConfigFile is not null) args.AddRange(["-F", ssh.ConfigFile]);
        args.AddRange(["-o", "ControlMaster=yes", "-o", "ControlPath=" + path, "-o", "ControlPersist=" + ((int)ssh.Persist.TotalSeconds).ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(Batch);
        args.AddRange(["-f", "-N", host.Ssh]);
        var result = await runner.RunAsync(new ProcessSpec("/bin/sh", args) { Timeout = ssh.ConnectTimeout + TimeSpan.FromSeconds(5) }, cancellationToken);
        var text = "";
        try
        {
            if (!result.Succeeded) text = File.ReadAllText(log);
            File.Delete(log);
        }
        catch (IOException)
        {
            // The log is only for the failure message.
        }

        if (result.Succeeded) return null;

        // Trouble with the control socket itself is not the host's: plain sessions will do.
        if (result.ExitCode != SshFailed || text.Contains("control", StringComparison.OrdinalIgnoreCase)) return null;
        return result with { StandardError = text };
    }

    /// <summary>Closes the shared connection of every host this client reached (ssh -O exit) and removes the control folder.</summary>
    public async ValueTask DisposeAsync()
    {
        string? directory;
        List<string> hosts;
        lock (_gate)
        {
            directory = _controlDirectory;
            hosts = [.. _masters.Keys];
            _controlDirectory = null;
            _masters.Clear();
        }

        if (directory is null) return;
        await Task.WhenAll(hosts.Select(destination =>
        {
            var args = new List<string>();
            if (ssh.ConfigFile is not null) args.AddRange(["-F", ssh.ConfigFile]);
            args.AddRange(["-o", "ControlPath=" + Path.Combine(directory, "%C"), "-O", "exit", destination]);
            return runner.RunAsync(new ProcessSpec(ssh.Executable, args) { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None);
        }));
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A master still shutting down may hold its socket a moment; the folder is empty but for it, and private.
        }
    }

    /// <summary>The prepare checks of one host (an unreachable host is one failed check) and, when <paramref name="gatherPlans"/>, the plans it gathered.</summary>
    public async Task<(List<FleetCheck> Checks, Dictionary<string, string> Plans)> PrepareAsync(FleetTarget target, string commit, CancellationToken cancellationToken, bool gatherPlans = true)
    {
        var result = await RunAsync(target.Host, RemoteScripts.Prepare(target, commit, gatherPlans), TimeSpan.FromMinutes(5), cancellationToken);
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

    /// <summary>
    /// The prepare script's output: its <c>@check</c> lines, and the host's <c>fleet check-host</c> answer (between
    /// <c>@json</c> and <c>@end EXIT</c>, its stderr as <c>@stderr</c> lines), whose version is the slipway check.
    /// </summary>
    internal static (List<FleetCheck> Checks, Dictionary<string, string> Plans) Parse(string stdout)
    {
        var checks = new List<FleetCheck>();
        var plans = new Dictionary<string, string>(StringComparer.Ordinal);
        System.Text.StringBuilder? json = null;
        string? answer = null;
        string? exit = null;
        var stderr = new List<string>();
        foreach (var line in stdout.Split('\n'))
        {
            if (json is not null)
            {
                if (line.StartsWith("@end", StringComparison.Ordinal))
                {
                    answer = json.ToString();
                    exit = line[4..].Trim();
                    json = null;
                }
                else
                {
                    json.AppendLine(line);
                }

                continue;
            }

            if (line == "@json")
            {
                json = new System.Text.StringBuilder();
            }
            else if (line.StartsWith("@stderr ", StringComparison.Ordinal))
            {
                stderr.Add(line[8..]);
            }
            else if (line.StartsWith("@check ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ', 4);
                if (parts.Length >= 3) checks.Add(new FleetCheck(parts[0], parts[1], parts[2], parts.Length > 3 ? parts[3].Trim() : ""));
            }
        }

        if (answer is not null) HostCheck(answer, exit ?? "?", string.Join(" / ", stderr.Where(l => l.Trim().Length > 0).TakeLast(2)), checks, plans);
        return (checks, plans);
    }

    private static void HostCheck(string answer, string exit, string stderr, List<FleetCheck> checks, Dictionary<string, string> plans)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            var root = json.RootElement;
            var found = new List<FleetCheck> { new("-", "slipway", "ok", root.GetProperty("version").GetString() ?? "?") };
            foreach (var c in root.GetProperty("checks").EnumerateArray())
            {
                found.Add(new FleetCheck(c.GetProperty("deployment").GetString() ?? "-", c.GetProperty("name").GetString() ?? "?",
                    c.GetProperty("status").GetString() ?? "fail", c.GetProperty("detail").GetString() ?? ""));
            }

            foreach (var plan in root.GetProperty("plans").EnumerateObject()) plans[plan.Name] = plan.Value.GetRawText();
            checks.AddRange(found);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            var why = stderr.Length == 0 ? "(no output)" : stderr;
            checks.Add(new FleetCheck("-", "slipway", "fail", exit == "127"
                ? "not found on the host: " + why + " (set 'slipway:' for the host in the inventory; fleet onboard shows what it lacks)"
                : $"the host's slipway fleet check-host did not answer (exit {exit}): {why} (the host needs Slipway of the orchestrator's major.minor; fleet onboard checks it)"));
        }
    }

    private static string Last(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" / ", lines.TakeLast(2));
    }
}
