using Slipway.IntegrationTests.GitOps;
using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests;

/// <summary>What deploy create copies from a stack's config/: never through a symbolic link, and with each file's privacy kept.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class ConfigCopyTests
{
    [Theory]
    [InlineData("/etc/shadow", "shadow")]
    [InlineData("/etc", "linked-dir")]
    [InlineData("motd.txt", "inside-link")]
    public async Task A_symbolic_link_in_the_stacks_config_is_refused_at_create_with_exit_3_and_nothing_is_copied(string target, string name)
    {
        await using var ws = new Workspace();
        var stack = HelloCopy.Write(ws.Combine("stack"));
        File.CreateSymbolicLink(Path.Combine(stack, "config", "hello", name), target);
        var spec = ws.Combine("spec.yml");
        await File.WriteAllTextAsync(spec, HelloCopy.Spec("./stack", "hi"));
        var d = ws.Combine("d");
        ws.Track(d);

        var result = await SlipwayCommand.RunAsync(Cli.ExitCodes.InvalidInput, "deploy", "create", "--spec-file", spec, "--deployment-dir", d);

        Assert.Contains($"config/hello/{name} is a symbolic link (to {target})", result.StandardError);
        Assert.False(Directory.Exists(d));
    }

    [Fact]
    public async Task A_private_config_file_stays_0600_in_the_deployment_directory_and_in_its_revision()
    {
        await using var ws = new Workspace();
        var stack = HelloCopy.Write(ws.Combine("stack"));
        var key = Path.Combine(stack, "config", "hello", "server.key");
        await File.WriteAllTextAsync(key, "private\n");
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(key, Private);
        var spec = ws.Combine("spec.yml");
        await File.WriteAllTextAsync(spec, HelloCopy.Spec("./stack", "hi"));
        var d = await ws.CreateAsync(spec, "d");

        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(Private, File.GetUnixFileMode(d.File("config", "hello", "server.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(d.File("config", "hello", "motd.txt")) & ~UnixFileMode.UserExecute);

        await d.RunAsync("start");

        var revisionCopy = Directory.GetFiles(d.File(".slipway", "revisions"), "server.key", SearchOption.AllDirectories);
        Assert.NotEmpty(revisionCopy);
        foreach (var copy in revisionCopy) Assert.Equal(Private, File.GetUnixFileMode(copy));
    }
}
