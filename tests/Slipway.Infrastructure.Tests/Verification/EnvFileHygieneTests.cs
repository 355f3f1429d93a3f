using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Tests.Verification;

public sealed class EnvFileHygieneTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private Spec SpecWith(params string[] envFiles)
    {
        var diagnostics = new DiagnosticBag();
        var path = _workspace.WriteFile("ops/spec.yml", "stack: ./stack\nenv-files: [" + string.Join(", ", envFiles) + "]\n");
        var spec = SpecParser.Parse(File.ReadAllText(path), path, diagnostics);
        Assert.False(diagnostics.HasErrors);
        return spec;
    }

    private void PrivateFile(string relative, string text)
    {
        var path = _workspace.WriteFile(relative, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private async Task GitAsync(params string[] args) =>
        (await new SystemProcessRunner().RunAsync(new ProcessSpec("git", ["-C", _workspace.Combine("ops"), .. args]))).ShouldSucceed();

    [Fact]
    public async Task An_env_file_tracked_by_git_is_warned_about_and_an_ignored_one_is_not()
    {
        PrivateFile("ops/tracked.env", "TOKEN=abc\n");
        PrivateFile("ops/host.env", "TOKEN=abc\n");
        await GitAsync("init", "--quiet");
        await GitAsync("add", "tracked.env");

        var warnings = await new EnvFileHygiene(new Git(new SystemProcessRunner())).CheckAsync(SpecWith("tracked.env", "host.env"), CancellationToken.None);

        var warning = Assert.Single(warnings);
        Assert.False(warning.IsError);
        Assert.Equal($"env file {_workspace.Combine("ops", "tracked.env")} is tracked by git: its values would be in the repository's history", warning.Message);
        Assert.Equal("git rm --cached tracked.env, add it to .gitignore, and rotate the secrets it held", warning.Hint);
        Assert.Equal(2, warning.Location!.Line);
    }

    [Fact]
    public async Task A_registry_token_file_readable_by_everyone_is_warned_about_like_an_env_file()
    {
        var path = _workspace.WriteFile("ops/registry.token", "tok\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var diagnostics = new DiagnosticBag();
        var specPath = _workspace.WriteFile("ops/spec.yml", "stack: ./stack\nregistry-credentials:\n  server: r.example.org\n  username: bot\n  token-file: registry.token\n");
        var spec = SpecParser.Parse(File.ReadAllText(specPath), specPath, diagnostics);
        Assert.False(diagnostics.HasErrors);

        var warnings = await new EnvFileHygiene(new Git(new SystemProcessRunner())).CheckAsync(spec, CancellationToken.None);

        var warning = Assert.Single(warnings);
        Assert.Equal($"registry token file {path} is readable by every user of this machine", warning.Message);
        Assert.Equal($"chmod 600 {path}", warning.Hint);
    }

    [Fact]
    public async Task An_env_file_readable_by_everyone_is_warned_about()
    {
        var path = _workspace.WriteFile("ops/host.env", "TOKEN=abc\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var warnings = await new EnvFileHygiene(new Git(new SystemProcessRunner())).CheckAsync(SpecWith("host.env"), CancellationToken.None);

        Assert.Equal($"chmod 600 {path}", Assert.Single(warnings).Hint);
    }

    [Fact]
    public async Task Without_git_nothing_counts_as_tracked()
    {
        PrivateFile("ops/host.env", "TOKEN=abc\n");
        var runner = new FakeProcessRunner();
        runner.On("git").Throws(new ToolNotFoundException("git"));

        Assert.Empty(await new EnvFileHygiene(new Git(runner)).CheckAsync(SpecWith("host.env"), CancellationToken.None));
        Assert.Equal(["git", "-C", _workspace.Combine("ops"), "ls-files", "--error-unmatch", "--", "host.env"], [runner.Calls[0].FileName, .. runner.Calls[0].Arguments]);
    }
}
