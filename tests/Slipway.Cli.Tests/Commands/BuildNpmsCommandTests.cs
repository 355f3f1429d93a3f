namespace Slipway.Cli.Tests.Commands;

/// <summary>build-npms' checks before anything is copied or run (the builds themselves: BuildNpmsTests, on the real engine).</summary>
public sealed class BuildNpmsCommandTests : IDisposable
{
    private const string Token = "cli-npm-token-value";
    private readonly CliHarness _cli = new();
    private readonly Dictionary<string, string> _environment = new()
    {
        ["CERC_NPM_REGISTRY_URL"] = "http://gitea.local:3000/api/packages/cerc-io/npm/",
        ["CERC_NPM_AUTH_TOKEN"] = Token,
    };

    public BuildNpmsCommandTests()
    {
        _cli.Workspace.WriteFile("stack/stack.yml", "name: js\nnpms:\n  - laconic-sdk\n  - registry-cli\n");
        _cli.Workspace.WriteFile("repos/laconic-sdk/package.json", "{}\n");
        _cli.Workspace.WriteFile("repos/registry-cli/package.json", "{}\n");
        _cli.Host = host => host with { GetEnvironment = name => _environment.GetValueOrDefault(name) };
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Without_cerc_builder_js_local_it_fails_saying_how_to_build_it_and_runs_nothing_else()
    {
        _cli.Runner.On("docker", "image", "inspect").Returns(1, stderr: "Error: No such image: cerc/builder-js:local\n");

        var run = await _cli.RunAsync("--stack", "stack", "build-npms");

        Assert.Equal(ExitCodes.PrerequisiteMissing, run.ExitCode);
        Assert.Contains("error: the builder image cerc/builder-js:local is required but was not found", run.Err);
        Assert.Contains("hint: build it from laconic-so's build-support stack: 'slipway --stack build-support build-containers --include cerc/builder-js' "
            + "(once its repository is in the dev root: 'slipway fetch-stack cerc-io/stack-orchestrator')", run.Err);
        var inspect = Assert.Single(_cli.Runner.Calls);
        Assert.Equal(["image", "inspect", "--format", "{{.Id}}", "cerc/builder-js:local"], inspect.Arguments);
        Assert.False(Directory.Exists(_cli.Path("repos", "build-trees")));
    }

    [Fact]
    public async Task A_stack_without_npms_warns_and_succeeds_without_looking_for_the_builder()
    {
        _cli.Workspace.WriteFile("plain/stack.yml", "name: plain\npods: []\n");

        var run = await _cli.RunAsync("--stack", "plain", "build-npms");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("warning: stack plain does not define any npms", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task Without_stack_it_is_invalid_input_naming_what_to_give()
    {
        var run = await _cli.RunAsync("build-npms");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("error: --stack is required: slipway --stack PATH build-npms", run.Err);
    }

    [Fact]
    public async Task An_include_the_stack_does_not_list_is_not_found_before_docker_is_asked()
    {
        var run = await _cli.RunAsync("--stack", "stack", "build-npms", "--include", "laconic-sdk,left-pad");

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Contains("error: --include names left-pad, which the stack does not list under npms", run.Err);
        Assert.Contains("hint: npms: laconic-sdk, registry-cli", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task An_npms_entry_outside_the_dev_root_is_refused()
    {
        _cli.Workspace.WriteFile("stack/stack.yml", "name: js\nnpms:\n  - ../elsewhere\n");

        var run = await _cli.RunAsync("--stack", "stack", "build-npms");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains($"error: npms entry '../elsewhere' of {_cli.Path("stack", "stack.yml")} is not a folder name inside the dev root", run.Err);
        Assert.Empty(_cli.Runner.Calls);
    }

    [Fact]
    public async Task A_package_not_cloned_in_the_dev_root_is_not_found_with_setup_repositories_as_the_way_and_nothing_is_built()
    {
        Directory.Delete(_cli.Path("repos", "registry-cli"), recursive: true);

        var run = await _cli.RunAsync("--stack", "stack", "build-npms");

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Contains($"error: no repository for the npm package registry-cli in the dev root {_cli.Path("repos")}", run.Err);
        Assert.Contains("hint: clone them with 'slipway --stack stack setup-repositories'", run.Err);
        Assert.DoesNotContain(_cli.Runner.Calls, c => c.Arguments.FirstOrDefault() == "run");
        Assert.False(Directory.Exists(_cli.Path("repos", "build-trees")));
    }

    [Fact]
    public async Task Quiet_leaves_out_the_building_lines_and_verbose_shows_the_docker_run_without_the_token()
    {
        var quiet = await _cli.RunAsync("--quiet", "--stack", "stack", "build-npms", "--include", "laconic-sdk");
        var verbose = await _cli.RunAsync("--verbose", "--stack", "stack", "build-npms", "--exclude", "laconic-sdk");

        Assert.True(quiet.ExitCode == ExitCodes.Success, quiet.ToString());
        Assert.DoesNotContain("Building npm package", quiet.Err);
        Assert.True(verbose.ExitCode == ExitCodes.Success, verbose.ToString());
        Assert.Contains("Building npm package: registry-cli", verbose.Err);
        Assert.DoesNotContain("Building npm package: laconic-sdk", verbose.Err);
        Assert.Contains("--env CERC_NPM_AUTH_TOKEN --env LACONIC_HOSTED_CONFIG_FILE=config-hosted.yml", verbose.Err);
        Assert.Contains("built and published 1 npm package to http://gitea.local:3000/api/packages/cerc-io/npm/: registry-cli", verbose.Err);
        Assert.DoesNotContain(Token, verbose.Err + verbose.Out);
        var runs = _cli.Runner.Calls.Where(c => c.Arguments.FirstOrDefault() == "run").ToList();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(Token, r.Environment["CERC_NPM_AUTH_TOKEN"]));
        Assert.Contains($"{_cli.Path("repos", "build-trees", "laconic-sdk")}:/workspace", runs[0].Arguments);
        Assert.Contains($"{_cli.Path("repos", "build-trees", "registry-cli")}:/workspace", runs[1].Arguments);
    }

    [Fact]
    public async Task Local_stack_takes_the_packages_from_beside_the_stack_orchestrator_checkout()
    {
        _cli.Workspace.WriteFile("src/stack-orchestrator/README.md", "checkout\n");
        _cli.Workspace.WriteFile("src/laconic-sdk/package.json", "{ \"local\": true }\n");
        _cli.Workspace.WriteFile("src/registry-cli/package.json", "{}\n");
        _cli.Host = host => host with { CurrentDirectory = _cli.Path("src", "stack-orchestrator"), GetEnvironment = name => _environment.GetValueOrDefault(name) };

        var run = await _cli.RunAsync("--local-stack", "--stack", _cli.Path("stack"), "build-npms", "--include", "laconic-sdk");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal("{ \"local\": true }\n", File.ReadAllText(_cli.Path("src", "build-trees", "laconic-sdk", "package.json")));
        Assert.False(Directory.Exists(_cli.Path("repos", "build-trees")));
        var build = Assert.Single(_cli.Runner.Calls, c => c.Arguments.FirstOrDefault() == "run");
        Assert.Contains($"{_cli.Path("src", "build-trees", "laconic-sdk")}:/workspace", build.Arguments);
    }

    [Fact]
    public async Task An_interrupted_or_timed_out_build_removes_its_builder_container_which_killing_docker_run_would_leave_running()
    {
        using var interrupt = new CancellationTokenSource();
        _cli.Runner.On("docker", "run").Responds(spec =>
        {
            interrupt.Cancel();
            throw new OperationCanceledException(interrupt.Token);
        }).Once();

        var interrupted = await _cli.RunAsync(interrupt.Token, "--stack", "stack", "build-npms", "--include", "laconic-sdk");

        var run = Assert.Single(_cli.Runner.Calls, c => c.Arguments.FirstOrDefault() == "run");
        var name = run.Arguments[run.Arguments.ToList().IndexOf("--name") + 1];
        Assert.Matches("^slipway-build-npms-laconic-sdk-[0-9a-f]{8}$", name);
        Assert.Equal(ExitCodes.Interrupted, interrupted.ExitCode);
        Assert.Single(_cli.Runner.Calls, c => c.Arguments.SequenceEqual(["rm", "--force", name]));

        _cli.Runner.On("docker", "run").TimesOut();
        var timedOut = await _cli.RunAsync("--stack", "stack", "build-npms", "--include", "registry-cli");

        Assert.Equal(ExitCodes.DeploymentFailed, timedOut.ExitCode);
        Assert.Contains("building npm package registry-cli failed (timed out)", timedOut.Err);
        var second = _cli.Runner.Calls.Last(c => c.Arguments.FirstOrDefault() == "run");
        Assert.Equal(["rm", "--force", second.Arguments[second.Arguments.ToList().IndexOf("--name") + 1]], _cli.Runner.Calls[^1].Arguments);
    }
}
