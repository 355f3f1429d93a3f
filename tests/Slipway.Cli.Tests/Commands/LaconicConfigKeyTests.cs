namespace Slipway.Cli.Tests.Commands;

/// <summary>A config key laconic-so takes but a shell does not (<c>test-variable-1</c>, its own test stack's init default).</summary>
public sealed class LaconicConfigKeyTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Deploy_create_keeps_a_dashed_config_key_in_config_env_and_warns_that_compose_cannot_substitute_it()
    {
        _cli.WriteStackAndSpec("stack: ./stack\nconfig:\n  test-variable-1: test-value-1\n  GREETING: hi\n");

        var run = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("warning SW006: config key 'test-variable-1' is not an environment variable name", run.Err);
        Assert.Contains("test-variable-1=test-value-1\n", File.ReadAllText(_cli.Path("D", "config.env")));
    }
}
