using System.Globalization;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Backends;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tools;

/// <summary>
/// <c>docker compose</c> (v2) over one project: argv building (project name, env file, files, then the command) and
/// the mapping of compose's known failures (a missing image, an unhealthy container, a timeout) to a reason.
/// </summary>
internal sealed class DockerCompose(Docker docker, ComposeProject project)
{
    public ComposeProject Project { get; } = project;

    public Docker Docker { get; } = docker;

    /// <summary><c>compose --ansi never --project-name P [--env-file E] --file F... COMMAND</c>.</summary>
    public IReadOnlyList<string> Arguments(IEnumerable<string> files, params IEnumerable<string> command)
    {
        var args = new List<string> { "compose", "--ansi", "never", "--project-name", Project.Name };
        if (Project.EnvFile is not null) args.AddRange(["--env-file", Project.EnvFile]);
        foreach (var file in files) args.AddRange(["--file", file]);
        args.AddRange(command);
        return args;
    }

    public IReadOnlyList<string> ProjectArguments(params IEnumerable<string> command) => Arguments(Project.Files, command);

    public async Task UpAsync(ComposeUp up, Action<string>? progress, CancellationToken cancellationToken)
    {
        var result = await Docker.RunAsync(UpArguments(up, dryRun: false), cancellationToken, up.WaitTimeout + TimeSpan.FromMinutes(2), progress);
        if (result.Succeeded) return;
        if (!result.TimedOut && result.StandardError.Contains(" Pulling", StringComparison.Ordinal)
            && await MissingImagesAsync(cancellationToken) is { Count: > 0 } missing)
        {
            throw new SlipwayException(FailureReason.DeploymentFailed,
                $"docker compose start failed (exit code {result.ExitCode}): {(missing.Count == 1 ? "image" : "images")} {string.Join(", ", missing)} "
                + $"{(missing.Count == 1 ? "is" : "are")} not available locally and could not be pulled:\n{ErrorText(result)}",
                "build the stack's images with 'slipway --stack STACK build-containers', or check the image names and that the registry is reachable");
        }

        throw Failure("start", result, result.StandardError.Contains("unhealthy", StringComparison.OrdinalIgnoreCase) || result.TimedOut
            ? FailureReason.VerifyTimeout
            : FailureReason.DeploymentFailed);
    }

    /// <summary>compose's own <c>--dry-run</c> of the same up: its progress lines say what would happen; nothing changes.</summary>
    public async Task<string> UpDryRunAsync(ComposeUp up, CancellationToken cancellationToken)
    {
        var result = await Docker.RunAsync(UpArguments(up, dryRun: true), cancellationToken, TimeSpan.FromMinutes(2), standardInput: up.StandardInputFile);
        if (!result.Succeeded) throw Failure("up --dry-run", result, FailureReason.DeploymentFailed);
        return result.StandardError + "\n" + result.StandardOutput;
    }

    public IReadOnlyList<string> UpArguments(ComposeUp up, bool dryRun)
    {
        var files = Project.Files.Concat(up.ExtraFiles).ToList();
        if (up.StandardInputFile is not null) files.Add("-");
        var command = new List<string> { "up", "--detach" };
        if (up.Wait) command.AddRange(["--wait", "--wait-timeout", ((int)up.WaitTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)]);
        if (up.RemoveOrphans) command.Add("--remove-orphans");
        if (up.ForceRecreate) command.Add("--force-recreate");
        if (up.NoDeps) command.Add("--no-deps");
        command.AddRange(up.Services);
        var args = Arguments(files, command).ToList();
        if (dryRun) args.Insert(1, "--dry-run");
        return args;
    }

    public async Task DownAsync(bool volumes, CancellationToken cancellationToken, int? timeoutSeconds = null, bool removeOrphans = true)
    {
        var command = new List<string> { "down" };
        if (removeOrphans) command.Add("--remove-orphans");
        if (volumes) command.Add("--volumes");
        if (timeoutSeconds is { } t) command.AddRange(["--timeout", t.ToString(CultureInfo.InvariantCulture)]);
        // Each container may take its whole stop timeout: the call gets that on top of the usual limit.
        var result = await Docker.RunAsync(ProjectArguments(command), cancellationToken, TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(timeoutSeconds ?? 0));
        if (!result.Succeeded) throw Failure("stop", result, FailureReason.DeploymentFailed);
    }

    public Task<int> LogsAsync(LogsOptions options, CancellationToken cancellationToken)
    {
        var command = new List<string> { "logs", "--no-color" };
        if (options.Follow) command.Add("--follow");
        if (options.Tail is { } n) command.AddRange(["--tail", n.ToString(CultureInfo.InvariantCulture)]);
        command.AddRange(options.Services);
        return options.Output is { } output
            ? Docker.StreamAsync(ProjectArguments(command), output, options.Error ?? (_ => { }), cancellationToken)
            : Docker.InheritAsync(ProjectArguments(command), cancellationToken);
    }

    public Task<ProcessResult> PortAsync(string service, string port, CancellationToken cancellationToken) =>
        Docker.RunAsync(ProjectArguments("port", service, port), cancellationToken);

    public Task<int> ExecAsync(string service, IReadOnlyList<string> command, bool interactive, CancellationToken cancellationToken) =>
        Docker.InheritAsync(ProjectArguments(["exec", .. interactive ? Array.Empty<string>() : ["--no-TTY"], service, .. command]), cancellationToken);

    /// <summary><c>run --rm</c> of a one-off service from <paramref name="jobFile"/>, with the project's files first (its network and names).</summary>
    public Task<int> RunOnceAsync(string jobFile, string service, CancellationToken cancellationToken) =>
        Docker.InheritAsync(Arguments([.. Project.Files, jobFile], "run", "--rm", "--no-TTY", service), cancellationToken);

    /// <summary>The project's images the engine does not have (after a failed pull), for the error message; empty when unknown.</summary>
    private async Task<IReadOnlyList<string>> MissingImagesAsync(CancellationToken cancellationToken)
    {
        var images = await Docker.RunAsync(ProjectArguments("config", "--images"), cancellationToken, TimeSpan.FromSeconds(30));
        if (!images.Succeeded) return [];
        var missing = new List<string>();
        foreach (var image in images.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal))
        {
            if (!await Docker.ImageExistsAsync(image, cancellationToken)) missing.Add(image);
        }

        return missing;
    }

    /// <summary>A failed compose command: its error lines once, without the progress lines (those are in the run log).</summary>
    public static SlipwayException Failure(string what, ProcessResult result, FailureReason reason) =>
        ToolFailure.NotAnswering(result) is { } missing
            ? new(FailureReason.PrerequisiteMissing, $"docker compose {what} failed ({ToolFailure.How(result)}):\n{ErrorText(result)}", missing)
            : new(reason, $"docker compose {what} failed ({ToolFailure.How(result)}):\n{ErrorText(result)}", ToolFailure.SeeTheLog);

    private static string ErrorText(ProcessResult result) =>
        ComposeOutput.ErrorText(string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError);
}
