using System.Text.RegularExpressions;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tools;

/// <summary>
/// The docker CLI: argv building and the meaning of its known failures, in one place. <see cref="Bound"/> gives a copy
/// whose every command runs in one working directory with one environment and set of secrets (a deployment's).
/// </summary>
public sealed partial class Docker(IProcessRunner runner, string executable = "docker")
{
    private string? _workingDirectory;
    private IReadOnlyDictionary<string, string?> _environment = new Dictionary<string, string?>();
    private IReadOnlyList<string> _secrets = [];

    public string Executable { get; } = executable;

    public IProcessRunner Runner { get; } = runner;

    /// <summary>This docker with a working directory, environment changes and secrets applied to every command.</summary>
    public Docker Bound(string? workingDirectory, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> secrets) =>
        new(Runner, Executable) { _workingDirectory = workingDirectory, _environment = environment, _secrets = secrets };

    public ProcessSpec Spec(IReadOnlyList<string> args) => new(Executable, args)
    {
        WorkingDirectory = _workingDirectory,
        Environment = _environment,
        Secrets = _secrets,
    };

    public Task<ProcessResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, TimeSpan? timeout = null, Action<string>? progress = null,
        string? standardInput = null, IReadOnlyList<string>? secrets = null) =>
        Runner.RunAsync(Spec(args) with
        {
            Timeout = timeout ?? TimeSpan.FromMinutes(5),
            OnStandardOutput = progress,
            OnStandardError = progress,
            StandardInput = standardInput,
            Secrets = secrets is null ? _secrets : [.. _secrets, .. secrets],
        }, cancellationToken);

    /// <summary>Runs with the console attached (logs -f, exec -it); returns the exit code.</summary>
    public async Task<int> InheritAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        (await Runner.RunAsync(Spec(args) with { Inherit = true }, cancellationToken)).ExitCode;

    /// <summary>Runs without a time limit, each output line (terminal codes taken out) to a callback and nothing kept.</summary>
    public async Task<int> StreamAsync(IReadOnlyList<string> args, Action<string> output, Action<string> error, CancellationToken cancellationToken) =>
        (await Runner.RunAsync(Spec(args) with
        {
            OnStandardOutput = line => output(TerminalText.Strip(line)),
            OnStandardError = line => error(TerminalText.Strip(line)),
            CaptureOutput = false,
        }, cancellationToken)).ExitCode;

    /// <summary><c>docker ps --all</c> of the containers carrying a label, one JSON object per line.</summary>
    public async Task<string> ListContainersAsync(string label, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["ps", "--all", "--no-trunc", "--filter", $"label={label}", "--format", "{{json .}}"], cancellationToken);
        return result.Succeeded ? result.StandardOutput : throw Failure("docker ps", result, FailureReason.DeploymentFailed);
    }

    /// <summary>Whether any running container carries the label (what <c>docker compose ps</c> of a project lists).</summary>
    public async Task<bool> AnyRunningAsync(string label, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["ps", "--quiet", "--filter", $"label={label}", "--filter", "status=running"], cancellationToken, TimeSpan.FromSeconds(30));
        return result.Succeeded ? result.StandardOutput.Trim().Length > 0 : throw Failure("docker ps", result, FailureReason.PrerequisiteMissing);
    }

    public Task<ProcessResult> InspectAsync(string format, string target, CancellationToken cancellationToken) =>
        RunAsync(["inspect", "--format", format, target], cancellationToken, TimeSpan.FromSeconds(30));

    public Task<ProcessResult> LogsAsync(int tail, string container, CancellationToken cancellationToken) =>
        RunAsync(["logs", "--tail", tail.ToString(System.Globalization.CultureInfo.InvariantCulture), container], cancellationToken, TimeSpan.FromSeconds(30));

    public async Task<bool> ImageExistsAsync(string reference, CancellationToken cancellationToken) =>
        (await RunAsync(["image", "inspect", "--format", "{{.Id}}", reference], cancellationToken, TimeSpan.FromMinutes(1))).Succeeded;

    /// <summary>
    /// The image ID each of <paramref name="tags"/> names locally (a tag without an image is left out), in one inspect:
    /// lets a build see at once whether its immutable tag exists and whether the stack's tag already points at it.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ImageIdsAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["image", "inspect", "--format", "{{.Id}}{{range .RepoTags}} {{.}}{{end}}", .. tags], cancellationToken, TimeSpan.FromMinutes(1));
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var tag in words.Skip(1).Where(tags.Contains)) ids[tag] = words[0];
        }

        return ids;
    }

    /// <summary>Names of the volumes carrying a label; throws when the engine cannot say.</summary>
    public async Task<IReadOnlyList<string>> VolumesAsync(string label, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["volume", "ls", "--quiet", "--filter", $"label={label}"], cancellationToken);
        if (!result.Succeeded) throw Failure("docker volume ls", result, FailureReason.DeploymentFailed);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The volumes carrying a label as the engine has them (compose name, bind device, mountpoint); empty when there are none.</summary>
    public async Task<IReadOnlyList<LiveVolume>> LiveVolumesAsync(string label, CancellationToken cancellationToken)
    {
        var names = await VolumesAsync(label, cancellationToken);
        if (names.Count == 0) return [];
        var result = await RunAsync(["volume", "inspect", .. names], cancellationToken, TimeSpan.FromSeconds(30));
        if (!result.Succeeded) throw Failure("docker volume inspect", result, FailureReason.DeploymentFailed);
        return ParseVolumes(result.StandardOutput);
    }

    /// <summary><c>docker volume inspect</c>'s JSON: the compose name comes from compose's label (the engine name without it).</summary>
    internal static IReadOnlyList<LiveVolume> ParseVolumes(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var volumes = new List<LiveVolume>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var name = Text(item, "Name") ?? "";
            string? composeName = null;
            if (item.TryGetProperty("Labels", out var labels) && labels.ValueKind == System.Text.Json.JsonValueKind.Object) composeName = Text(labels, "com.docker.compose.volume");
            string? device = null;
            if (item.TryGetProperty("Options", out var options) && options.ValueKind == System.Text.Json.JsonValueKind.Object) device = Text(options, "device");
            volumes.Add(new LiveVolume(composeName ?? name, name, string.IsNullOrEmpty(device) ? null : device, Text(item, "Mountpoint") ?? ""));
        }

        return volumes;
    }

    private static string? Text(System.Text.Json.JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;

    public async Task TagAsync(string source, string target, string? hint, CancellationToken cancellationToken, IReadOnlyList<string>? secrets = null)
    {
        var tag = await RunAsync(["tag", source, target], cancellationToken, TimeSpan.FromMinutes(1), secrets: secrets);
        if (!tag.Succeeded) throw ToolFailure.Of($"tagging {source} as {target}", tag, FailureReason.DeploymentFailed, hint);
    }

    /// <summary>Pushes one reference; returns the registry's digest when it printed one.</summary>
    public async Task<string?> PushAsync(string reference, IReadOnlyList<string> secrets, Action<string>? progress, CancellationToken cancellationToken)
    {
        var push = await RunAsync(["push", reference], cancellationToken, TimeSpan.FromMinutes(30), progress, secrets: secrets);
        if (!push.Succeeded)
        {
            throw ToolFailure.Of($"pushing {reference}", push, FailureReason.DeploymentFailed,
                push.StandardError.Contains("no basic auth credentials", StringComparison.OrdinalIgnoreCase)
                || push.StandardError.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
                    ? "the registry wants a login: set registry-credentials in the spec (server, username, token-env or token-file)"
                    : "check that image-registry is reachable from this host");
        }

        var digest = DigestLine().Match(push.StandardOutput);
        return digest.Success ? digest.Groups[1].Value : null;
    }

    /// <summary><c>docker login --password-stdin</c>: the token goes to stdin only and is a secret of the command.</summary>
    public async Task LoginAsync(string server, string username, string token, string tokenSource, CancellationToken cancellationToken)
    {
        var login = await RunAsync(["login", "--username", username, "--password-stdin", server], cancellationToken, TimeSpan.FromMinutes(2),
            standardInput: token, secrets: [token]);
        if (!login.Succeeded)
        {
            // The registry refused (or did not answer): a prerequisite of the push, not a failed deploy.
            throw ToolFailure.Of($"docker login to {server} as {username}", login, FailureReason.PrerequisiteMissing,
                $"check the username and the token in {tokenSource}, and that {server} answers");
        }
    }

    /// <summary><c>docker build --tag REF [--no-cache] ARGS DIR</c>, to be run by the caller (it streams progress).</summary>
    public ProcessSpec BuildSpec(string reference, bool noCache, IEnumerable<string> buildArgs, string directory)
    {
        var args = new List<string> { "build", "--tag", reference };
        if (noCache) args.Add("--no-cache");
        args.AddRange(buildArgs);
        args.Add(directory);
        return new ProcessSpec(Executable, args) { WorkingDirectory = directory };
    }

    public static SlipwayException Failure(string what, ProcessResult result, FailureReason reason, string? hint = null) =>
        ToolFailure.Of(what, result, reason, hint ?? ToolFailure.SeeTheLog);

    [GeneratedRegex(@"digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex DigestLine();
}
