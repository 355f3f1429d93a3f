namespace Slipway.Cli.Tests.Commands;

/// <summary>A command line that does not parse is one line on stderr: what is wrong, a suggestion, the help to read.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("error: --to-revision needs a whole number, not 'abc'; see 'slipway deployment rollback --help'", "deployment", "--dir", "D", "rollback", "--to-revision", "abc")]
    [InlineData("error: unknown command 'strat' for 'slipway deployment' (did you mean 'start'?); see 'slipway deployment --help'", "deployment", "--dir", "D", "strat")]
    [InlineData("error: unknown option '--outpt' for 'slipway deployment status' (did you mean '--output'?); see 'slipway deployment status --help'", "deployment", "--dir", "D", "status", "--outpt", "json")]
    [InlineData("error: 'slipway deployment' needs a command: {COMMANDS}; see 'slipway deployment --help'", "deployment", "--dir", "D")]
    [InlineData("error: unknown command 'frobnicate' for 'slipway'; see 'slipway --help'", "frobnicate")]
    [InlineData("error: --wait-timeout needs a whole number, not '5m'; see 'slipway deployment start --help'", "deployment", "--dir", "D", "start", "--wait-timeout", "5m")]
    [InlineData("error: unknown option '--force-recreate' for 'slipway deployment start'; see 'slipway deployment start --help'", "deployment", "--dir", "D", "start", "--force-recreate")]
    [InlineData("error: unknown option '--folow' for 'slipway deployment logs' (did you mean '--follow'?); see 'slipway deployment logs --help'", "deployment", "--dir", "D", "logs", "web", "--folow")]
    public async Task A_usage_error_is_one_line_with_a_suggestion(string expected, params string[] args)
    {
        var run = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Empty(run.Out);
        var commands = string.Join(", ", _cli.DeploymentCommandNames());
        Assert.Equal(expected.Replace("{COMMANDS}", commands) + "\n", run.Err);
    }

    [Theory]
    [InlineData("error: --deploy-to must be one of compose, k8s, k8s-kind, swarm, not 'k9s' (did you mean 'k8s'?); see 'slipway deploy init --help'", "deploy", "--deploy-to", "k9s", "init")]
    [InlineData("error: --output must be one of text, json, not 'yaml'; see 'slipway deployment status --help'", "deployment", "--dir", "D", "status", "--output", "yaml")]
    public async Task A_value_outside_the_choices_names_the_choices_on_one_line(string expected, params string[] args)
    {
        var run = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal(expected + "\n", run.Err);
    }

    [Theory]
    [InlineData("start")]
    [InlineData("stop")]
    [InlineData("restart")]
    [InlineData("rollback")]
    [InlineData("logs")]
    [InlineData("ps")]
    [InlineData("plan")]
    public async Task Deployment_subcommands_do_not_offer_stack_in_their_help(string command)
    {
        var run = await _cli.RunAsync("deployment", "--dir", "D", command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--dir", run.Out);
        // restart's --stack-path (laconic-so's flag) is not the global --stack.
        Assert.DoesNotMatch(@"--stack(?![-\w])", run.Out);
    }

    [Fact]
    public async Task Deploy_init_offers_stack_before_and_after_the_command()
    {
        var help = await _cli.RunAsync("deploy", "init", "--help");
        _cli.WriteStackAndSpec();
        var before = await _cli.RunAsync("--stack", "./stack", "deploy", "init", "--output", "a.yml");
        var after = await _cli.RunAsync("deploy", "init", "--stack", "./stack", "--output", "b.yml");

        Assert.Contains("--stack", help.Out);
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    [Fact]
    public async Task Stack_given_to_a_deployment_command_is_refused_with_the_reason()
    {
        var run = await _cli.RunAsync("--stack", "./stack", "deployment", "--dir", "D", "ps");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("the deployment directory names its stack", run.Err);
    }

    [Fact]
    public async Task Deploy_create_refuses_deploy_to_because_the_spec_names_the_target()
    {
        _cli.WriteStackAndSpec();

        var run = await _cli.RunAsync("deploy", "--deploy-to", "k8s", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Equal("error: --deploy-to is for deploy init; deploy create takes the target from the spec's 'deploy-to' key (set it in spec.yml); see 'slipway deploy create --help'\n", run.Err);
        Assert.False(Directory.Exists(_cli.Path("D")));
    }
}
