namespace Slipway.Cli.Tests.Commands;

/// <summary>A laconic-so stack's commands.py is not run: deploy init, create and setup say which hooks it defines and how to port them.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CommandsPyWarningTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Init_create_and_setup_name_each_python_hook_not_ported_yet_instead_of_dropping_it_silently()
    {
        _cli.WriteStackAndSpec();
        _cli.Workspace.WriteFile("stack/deploy/commands.py", "def init(ctx):\n    return None\n\ndef setup(ctx, params, extra):\n    pass\n\ndef create(ctx, extra):\n    pass\n");
        var commands = _cli.Path("stack", "deploy", "commands.py");
        var ported = _cli.Workspace.WriteFile("stack/hooks/create", "#!/bin/sh\n");
        File.SetUnixFileMode(ported, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var init = await _cli.RunAsync("--stack", "stack", "deploy", "init", "--output", "new-spec.yml");
        var create = await _cli.RunAsync("deploy", "create", "--spec-file", "spec.yml", "--deployment-dir", "D");
        var setup = await _cli.RunAsync("--stack", "stack", "deploy", "setup");

        Assert.True(init.ExitCode == ExitCodes.Success, init.ToString());
        Assert.Contains($"{commands}:1: defines init(), which Slipway does not run (it runs no Python): port it to an executable hooks/init", init.Err);
        Assert.Contains($"{commands}:4: defines setup()", init.Err);
        Assert.DoesNotContain("defines create()", init.Err);
        Assert.True(create.ExitCode == ExitCodes.Success, create.ToString());
        Assert.Contains($"{commands}:1: defines init()", create.Err);
        Assert.Equal(ExitCodes.NotFound, setup.ExitCode);
        Assert.Contains($"{commands}:4: defines setup(), which Slipway does not run (it runs no Python): port it to an executable hooks/setup", setup.Err);
        Assert.DoesNotContain("defines init()", setup.Err);
    }
}
