using Slipway.Core.Diagnostics;
using Slipway.Core.Verification;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tests.Support;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Tests.Verification;

public sealed class SpecHookRunnerTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly List<string> _progress = [];

    public void Dispose() => _workspace.Dispose();

    private SpecHookContext Context(string? workingDirectory = null) => new()
    {
        DeploymentDirectory = _workspace.Combine("d"),
        DeploymentId = "slipway-abc",
        WorkingDirectory = workingDirectory ?? _workspace.Path,
        SpecFile = _workspace.Combine("spec.yml"),
        DeployTo = "compose",
        Config = [new("GREETING", "hello"), new("DB_PASSWORD", SampleDeployment.Password)],
        Secrets = [SampleDeployment.Password],
    };

    private static SpecHooks Pre(params HookCommand[] commands) => new() { PreDeploy = commands };

    [Fact]
    public async Task A_shell_hook_runs_in_the_spec_folder_with_the_deployments_config_and_context()
    {
        var hooks = Pre(HookCommand.ShellCommand("echo \"$SLIPWAY_HOOK $SLIPWAY_STAGE $SLIPWAY_DEPLOYMENT_ID $GREETING\"; pwd; echo \"$SLIPWAY_DEPLOYMENT_DIR\""));

        var results = await new SpecHookRunner(new SystemProcessRunner()).RunAsync(hooks, SpecHookPhase.PreDeploy, Context(), _progress.Add, CancellationToken.None);

        var result = Assert.Single(results);
        Assert.Equal($"pre-deploy apply slipway-abc hello\n{_workspace.Path}\n{_workspace.Combine("d")}\n", result.StandardOutput);
        Assert.Contains("pre-deploy apply slipway-abc hello", _progress);
    }

    [Fact]
    public async Task An_argv_hook_with_a_relative_program_runs_it_from_the_spec_folder_without_a_shell()
    {
        var script = _workspace.WriteFile("scripts/notify.sh", "#!/bin/sh\nprintf '[%s]' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var hooks = new SpecHooks { PostDeploy = [new HookCommand(["./scripts/notify.sh", "deployed $SLIPWAY_DEPLOYMENT_ID", "*"], false)] };

        var results = await new SpecHookRunner(new SystemProcessRunner()).RunAsync(hooks, SpecHookPhase.PostDeploy, Context(), null, CancellationToken.None);

        Assert.Equal("[deployed $SLIPWAY_DEPLOYMENT_ID][*]\n", Assert.Single(results).StandardOutput);
    }

    [Fact]
    public async Task A_failing_hook_stops_the_rest_and_fails_with_its_position_and_redacted_output()
    {
        var hooks = Pre(
            HookCommand.ShellCommand("echo \"login with $DB_PASSWORD failed\" >&2; exit 3", new SourceLocation("/ops/spec.yml", 12, 7)),
            HookCommand.ShellCommand("echo never"));
        var real = new SpecHookRunner(new SystemProcessRunner());

        var error = await Assert.ThrowsAsync<SlipwayException>(() => real.RunAsync(hooks, SpecHookPhase.PreDeploy, Context(), _progress.Add, CancellationToken.None));

        Assert.Equal(FailureReason.DeploymentFailed, error.Reason);
        Assert.Equal("the spec's pre-deploy hook 1 of 2 (/ops/spec.yml:12:7) failed (exit code 3):\nlogin with [REDACTED] failed", error.Message);
        Assert.Contains(_progress, line => line.StartsWith("pre-deploy hook 1 of 2", StringComparison.Ordinal));
        Assert.DoesNotContain(_progress, line => line.StartsWith("pre-deploy hook 2 of 2", StringComparison.Ordinal));
        Assert.DoesNotContain(_progress, line => line.Contains(SampleDeployment.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hook_command_lines_and_output_reach_the_run_log_with_secrets_redacted()
    {
        var logFile = _workspace.Combine("run.log");
        using (var log = new FileCommandLog(logFile))
        {
            var runner = new LoggingProcessRunner(new SystemProcessRunner(), log);
            var hooks = Pre(HookCommand.ShellCommand($"echo token={SampleDeployment.Password}; echo \"env=$DB_PASSWORD\""));

            await new SpecHookRunner(runner).RunAsync(hooks, SpecHookPhase.PreDeploy, Context(), null, CancellationToken.None);
        }

        var text = File.ReadAllText(logFile);
        Assert.Contains("/bin/sh -c", text, StringComparison.Ordinal);
        Assert.Contains("env=[REDACTED]", text, StringComparison.Ordinal);
        Assert.DoesNotContain(SampleDeployment.Password, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_a_clear_failure()
    {
        var hooks = Pre(new HookCommand(["./no-such-script"], false, new SourceLocation("spec.yml", 4, 9)));

        var error = await Assert.ThrowsAsync<SlipwayException>(() =>
            new SpecHookRunner(new SystemProcessRunner()).RunAsync(hooks, SpecHookPhase.PreDeploy, Context(), null, CancellationToken.None));

        Assert.StartsWith("the spec's pre-deploy hook 1 of 1 (spec.yml:4:9) could not start", error.Message, StringComparison.Ordinal);
        Assert.Equal($"relative paths resolve against {_workspace.Path}", error.Hint);
    }

    [Fact]
    public async Task No_hooks_run_nothing()
    {
        var runner = new FakeProcessRunner { Strict = true };

        var results = await new SpecHookRunner(runner).RunAsync(SpecHooks.None, SpecHookPhase.PostDeploy, Context(), null, CancellationToken.None);

        Assert.Empty(results);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public void The_context_of_a_deployment_carries_its_config_and_secrets_and_runs_in_D_when_the_spec_folder_is_gone()
    {
        var d = SampleDeployment.Write(_workspace);

        var context = SpecHookContext.For(DeploymentSession.Open(d));

        Assert.Equal((d, SampleDeployment.Id, d, "compose"), (context.DeploymentDirectory, context.DeploymentId, context.WorkingDirectory, context.DeployTo));
        Assert.Equal("hello", context.ToEnvironment(SpecHookPhase.PreDeploy)["GREETING"]);
        Assert.Contains(SampleDeployment.Password, context.Secrets);
    }
}
