namespace Slipway.Cli.Tests.Commands;

public sealed class ExitCodeTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("--no-such-option")]
    [InlineData("deploy", "init", "--stack", "./stack", "--output", "spec.yml", "--bogus")]
    [InlineData("deploy", "init", "--stack", "./stack")]
    [InlineData("deploy", "create")]
    [InlineData("deploy", "--deploy-to", "nomad", "init", "--output", "spec.yml")]
    [InlineData("deployment", "status")]
    [InlineData("deployment", "--dir", "D", "status", "--output", "yaml")]
    [InlineData("deployment", "--dir", "D", "port", "web")]
    public async Task A_command_line_the_parser_rejects_is_a_usage_error_on_stderr(params string[] args)
    {
        var run = await _cli.RunAsync(args);

        Assert.True(run.ExitCode == ExitCodes.UsageError, run.ToString());
        Assert.Empty(run.Out);
        Assert.Matches(@"^error: [^\n]+; see 'slipway[a-z -]* --help'\n$", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public void Every_failure_reason_has_its_own_named_exit_code_never_the_internal_error()
    {
        var named = ExitCodes.All.Select(c => c.Code).ToHashSet();
        foreach (var reason in Enum.GetValues<Slipway.Core.Diagnostics.FailureReason>())
        {
            var code = ExitCodes.For(reason);
            Assert.True(code != ExitCodes.InternalError, $"FailureReason.{reason} falls through to the internal error (exit 1)");
            Assert.Contains(code, named);
        }
    }

    [Fact]
    public void A_usage_failure_is_the_usage_exit_code()
    {
        Assert.Equal(ExitCodes.UsageError, ExitCodes.For(Slipway.Core.Diagnostics.FailureReason.Usage));
    }

    [Fact]
    public async Task An_unknown_command_names_the_offending_token()
    {
        var run = await _cli.RunAsync("frobnicate");

        Assert.Contains("frobnicate", run.Err);
    }

    [Fact]
    public async Task A_mistyped_option_gets_a_suggestion_on_stderr_and_nothing_on_stdout()
    {
        var run = await _cli.RunAsync("deployment", "--dir", "D", "status", "--outpt", "json");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Contains("unknown option '--outpt' for 'slipway deployment status' (did you mean '--output'?)", run.Err);
    }

    [Fact]
    public async Task Deploy_init_without_a_stack_is_invalid_input()
    {
        var run = await _cli.RunAsync("deploy", "init", "--output", "spec.yml");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains("error: --stack is required", run.Err);
        Assert.False(File.Exists(_cli.Path("spec.yml")));
    }

    [Fact]
    public async Task Deploy_init_writes_a_spec_and_says_what_to_do_next_on_stderr()
    {
        _cli.WriteStackAndSpec();

        var run = await _cli.RunAsync("--stack", "./stack", "deploy", "init", "--output", "new.yml", "--config", "A=1,B=x,y");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Empty(run.Out);
        Assert.Contains("wrote new.yml", run.Err);
        var spec = _cli.Workspace.ReadFile("new.yml");
        Assert.Contains("A: \"1\"", spec);
        Assert.Contains("B: \"x,y\"", spec);
    }

    [Fact]
    public async Task Deploy_init_over_an_existing_spec_is_a_conflict()
    {
        _cli.WriteStackAndSpec();

        var run = await _cli.RunAsync("--stack", "./stack", "deploy", "init", "--output", "spec.yml");

        Assert.True(run.ExitCode == ExitCodes.Conflict, run.ToString());
        Assert.Contains("never overwrites", run.Err);
    }

    [Fact]
    public async Task Deploy_init_for_k8s_without_a_kube_config_is_invalid_input()
    {
        _cli.WriteStackAndSpec();

        var run = await _cli.RunAsync("--stack", "./stack", "deploy", "--deploy-to", "k8s", "init", "--output", "k8s.yml");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains("--kube-config", run.Err);
    }

    [Fact]
    public async Task A_config_pair_without_an_equals_sign_is_invalid_input()
    {
        _cli.WriteStackAndSpec();

        var run = await _cli.RunAsync("--stack", "./stack", "deploy", "init", "--output", "new.yml", "--config", "JUSTAKEY");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains("'JUSTAKEY' is not KEY=VALUE", run.Err);
        Assert.False(File.Exists(_cli.Path("new.yml")));
    }

    [Fact]
    public async Task Deploy_create_reports_the_new_deployment_id_on_stderr()
    {
        _cli.WriteStackAndSpec();

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Empty(run.Out);
        Assert.Matches(@"created D \(deployment-id slipway-[0-9a-z]+\)", run.Err);
        Assert.True(File.Exists(_cli.Path("D", "deployment.yml")));
    }

    [Fact]
    public async Task Deploy_create_into_an_existing_directory_is_a_conflict_with_a_hint()
    {
        _cli.WriteStackAndSpec();
        Directory.CreateDirectory(_cli.Path("D"));

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(run.ExitCode == ExitCodes.Conflict, run.ToString());
        Assert.Contains("error: D already exists", run.Err);
        Assert.Contains("hint: use --update", run.Err);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.Path("D")));
    }

    [Fact]
    public async Task Deploy_create_update_of_a_missing_directory_is_not_found()
    {
        _cli.WriteStackAndSpec();

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D", "--update");

        Assert.True(run.ExitCode == ExitCodes.NotFound, run.ToString());
    }

    [Fact]
    public async Task Deploy_create_update_reports_what_changed()
    {
        await _cli.CreateDeploymentAsync();
        _cli.Workspace.WriteFile("spec.yml", "stack: ./stack\nconfig:\n  GREETING: hello\n");

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D", "--update");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("changed config.env (previous kept as config.env.bak)", run.Err);
        Assert.Contains("changed spec.yml (previous kept as spec.yml.bak)", run.Err);
    }

    [Fact]
    public async Task A_malformed_spec_is_invalid_input_with_file_line_and_column_on_stderr_only()
    {
        _cli.WriteStackAndSpec("stack: ./stack\nconfig:\n  GREETING: hi\n  bad: [unclosed\n");

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Empty(run.Out);
        Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(_cli.Path("spec.yml"))}:\d+:\d+: error ", run.Err);
        Assert.Contains("1 error; nothing was changed", run.Err);
        Assert.False(Directory.Exists(_cli.Path("D")));
    }

    [Fact]
    public async Task An_unknown_spec_key_is_invalid_input_at_its_line_and_column()
    {
        _cli.WriteStackAndSpec("stack: ./stack\ndeploy-too: compose\n");

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains($"{_cli.Path("spec.yml")}:2:1: error ", run.Err);
        Assert.Contains("deploy-to", run.Err);
    }

    [Fact]
    public async Task A_deployment_directory_that_does_not_exist_is_not_found()
    {
        var run = await _cli.RunAsync("deployment", "--dir", _cli.Path("missing"), "status");

        Assert.True(run.ExitCode == ExitCodes.NotFound, run.ToString());
        Assert.Contains("does not exist", run.Err);
        Assert.Empty(run.Out);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task A_folder_that_is_not_a_deployment_directory_is_not_found()
    {
        Directory.CreateDirectory(_cli.Path("plain"));

        var run = await _cli.RunAsync("deployment", "--dir", _cli.Path("plain"), "status");

        Assert.True(run.ExitCode == ExitCodes.NotFound, run.ToString());
        Assert.Contains("no deployment.yml", run.Err);
    }

    [Fact]
    public async Task Stack_with_a_deployment_command_is_a_usage_error_that_says_why()
    {
        var d = await _cli.CreateDeploymentAsync();

        var run = await _cli.RunAsync("deployment", "--stack", "x", "--dir", d, "status");

        Assert.True(run.ExitCode == ExitCodes.UsageError, run.ToString());
        Assert.Contains("--stack can't be given with the deployment command: the deployment directory names its stack", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task Stack_with_a_deployment_command_is_refused_before_the_directory_is_looked_at()
    {
        var run = await _cli.RunAsync("deployment", "--stack", "x", "--dir", "d", "status");

        Assert.True(run.ExitCode == ExitCodes.UsageError, run.ToString());
        Assert.DoesNotContain("does not exist", run.Err);
    }

    [Fact]
    public async Task A_spec_without_a_stack_is_invalid_input_at_its_first_line()
    {
        _cli.WriteStackAndSpec("deploy-to: compose\n");

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains($"{_cli.Path("spec.yml")}:1:1: error ", run.Err);
        Assert.Contains("no 'stack'", run.Err);
        Assert.False(Directory.Exists(_cli.Path("D")));
    }

    [Fact]
    public async Task A_missing_docker_is_a_missing_prerequisite()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker").Throws(new Slipway.Infrastructure.Processes.ToolNotFoundException("docker"));

        var run = await _cli.RunAsync("deployment", "--dir", d, "status");

        Assert.True(run.ExitCode == ExitCodes.PrerequisiteMissing, run.ToString());
        Assert.Contains("'docker' could not be started", run.Err);
    }

    [Fact]
    public async Task An_unexpected_exception_is_an_internal_error_without_a_stack_trace_unless_debug()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker").Throws(new InvalidOperationException("boom"));

        var plain = await _cli.RunAsync("deployment", "--dir", d, "status");
        var debug = await _cli.RunAsync("deployment", "--dir", d, "status", "--debug");

        Assert.True(plain.ExitCode == ExitCodes.InternalError, plain.ToString());
        Assert.Contains("error: internal error: boom", plain.Err);
        Assert.DoesNotContain("   at ", plain.Err);
        Assert.Contains("rerun with --debug", plain.Err);
        Assert.Equal(ExitCodes.InternalError, debug.ExitCode);
        Assert.Contains("   at ", debug.Err);
    }

    [Fact]
    public async Task A_failing_start_is_a_deployment_failure_that_points_at_the_log()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "compose").Returns(1, stderr: "Error response from daemon: no such image\n");

        var run = await _cli.RunAsync("deployment", "--dir", d, "start");

        Assert.True(run.ExitCode == ExitCodes.DeploymentFailed, run.ToString());
        Assert.Contains("no such image", run.Err);
        var log = Assert.Single(Directory.GetFiles(Path.Combine(d, ".slipway", "logs"), "*-start.log"));
        Assert.Contains($"log: {log}", run.Err);
        Assert.Contains("err| Error response from daemon: no such image", File.ReadAllText(log));
    }

    [Fact]
    public async Task A_failing_apply_prints_compose_error_once_without_its_progress_lines()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "compose").Returns(1, stderr: " Container x-web-1  Creating\n Container x-web-1  Created\n Container x-web-1  Starting\nError response from daemon: Bind for 127.0.0.1:8080 failed: port is already allocated\n");

        var run = await _cli.RunAsync("deployment", "--dir", d, "start");

        Assert.True(run.ExitCode == ExitCodes.DeploymentFailed, run.ToString());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Err, "port is already allocated"));
        Assert.DoesNotContain("Container x-web-1", run.Err);
        Assert.Contains("apply failed; what the deployment looks like now (the error is at the end):", run.Err);
    }

    [Fact]
    public async Task A_docker_engine_that_does_not_answer_is_a_missing_prerequisite_not_a_failed_deploy()
    {
        var d = await _cli.CreateDeploymentAsync();
        const string NoEngine = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n";
        _cli.Runner.On("docker", "ps").Returns(1, stderr: NoEngine);
        _cli.Runner.On("docker", "compose").Returns(1, stderr: NoEngine);

        var status = await _cli.RunAsync("deployment", "--dir", d, "status");
        var stop = await _cli.RunAsync("deployment", "--dir", d, "stop");

        Assert.True(status.ExitCode == ExitCodes.PrerequisiteMissing, status.ToString());
        Assert.Contains("the Docker Engine does not answer", status.Err);
        Assert.True(stop.ExitCode == ExitCodes.PrerequisiteMissing, stop.ToString());
    }

    [Fact]
    public void Every_failure_reason_has_its_own_exit_code_and_none_is_the_bug_code()
    {
        var codes = Enum.GetValues<Slipway.Core.Diagnostics.FailureReason>().Select(ExitCodes.For).ToList();

        Assert.DoesNotContain(ExitCodes.InternalError, codes);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal(ExitCodes.SyncRefused, ExitCodes.For(Slipway.Core.Diagnostics.FailureReason.SyncRefused));
    }

    [Fact]
    public async Task An_unhealthy_first_start_is_a_verify_timeout()
    {
        var d = await _cli.CreateDeploymentAsync();
        var id = Slipway.Core.Deployments.DeploymentFile.Parse(File.ReadAllText(Path.Combine(d, "deployment.yml")), "deployment.yml").DeploymentId;
        _cli.Runner.On("docker", "compose").Returns(0);
        _cli.Runner.On("docker", "ps").Returns(0, DeploymentOutputTests.HealthyWeb(id).Replace("(healthy)", "(unhealthy)"));

        var run = await _cli.RunAsync("deployment", "--dir", d, "start", "--wait-timeout", "10");

        Assert.True(run.ExitCode == ExitCodes.VerifyTimeout, run.ToString());
        Assert.Contains("not healthy: web", run.Err);
        Assert.Contains("no good revision to roll back to", run.Err);
    }

    [Fact]
    public async Task Stop_and_delete_volumes_together_with_preserve_volumes_is_invalid_input()
    {
        var d = await _cli.CreateDeploymentAsync();

        var run = await _cli.RunAsync("deployment", "--dir", d, "stop", "--delete-volumes", "--preserve-volumes");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task A_failing_job_exits_with_deployment_failed()
    {
        await _cli.CreateDeploymentAsync();
        _cli.Workspace.WriteFile("D/stack.yml", "name: tiny\npods:\n  - web\njobs:\n  - migrate\n");
        _cli.Runner.On("docker", "compose").Returns(2);

        var run = await _cli.RunAsync("deployment", "--dir", _cli.Path("D"), "run-job", "migrate");

        Assert.True(run.ExitCode == ExitCodes.DeploymentFailed, run.ToString());
        Assert.Contains("job 'migrate' failed with exit code 2", run.Err);
    }

    [Fact]
    public async Task Exec_exits_with_the_command_exit_code()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "compose").Returns(42);

        var run = await _cli.RunAsync("deployment", "--dir", d, "exec", "web", "sh", "-c", "exit 42");

        Assert.Equal(42, run.ExitCode);
        Assert.EndsWith("exec --no-TTY web sh -c 'exit 42'", _cli.Runner.CallLines().Single());
    }

    [Fact]
    public async Task Exec_runs_one_quoted_argument_with_spaces_under_sh_c_as_laconic_so_does()
    {
        var d = await _cli.CreateDeploymentAsync();
        _cli.Runner.On("docker", "compose").Returns(3);

        var run = await _cli.RunAsync("deployment", "--dir", d, "exec", "web", "cat /etc/motd; exit 3");

        Assert.Equal(3, run.ExitCode);
        Assert.EndsWith("exec --no-TTY web sh -c 'cat /etc/motd; exit 3'", _cli.Runner.CallLines().Single());
    }
}
